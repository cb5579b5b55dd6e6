package dev.sluice.http.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** The one JSON mapper of the HTTP component, and parsing that names where a body is broken. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses a whole body; a syntax error is a 400 naming its line and column. */
    static JsonNode parse(Buffer body) {
        if (body == null || body.length() == 0) {
            throw ApiError.badRequest("the request needs a JSON body");
        }
        return parse(body.getBytes());
    }

    static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw ApiError.badRequest("unreadable JSON: " + e.getMessage());
        }
    }

    /** Parses a body into a small record; unknown fields and wrong types are 400s naming the field. */
    static <T> T parse(Buffer body, Class<T> type) {
        JsonNode tree = parse(body);
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(e.getOriginalMessage());
        }
    }

    static ApiError syntaxError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()
                + " (byte " + at.getByteOffset() + ")";
        return new ApiError(400, "invalid_json", "invalid JSON" + where + ": " + e.getOriginalMessage());
    }

    /** A value as JSON when it parses as JSON, else as text: how dry runs and tails show payloads. */
    static JsonNode valueOrText(byte[] value) {
        try {
            JsonNode parsed = MAPPER.readTree(value);
            if (parsed != null && !parsed.isMissingNode()) {
                return parsed;
            }
        } catch (IOException notJson) {
            // shown as text below
        }
        return MAPPER.getNodeFactory().textNode(new String(value, java.nio.charset.StandardCharsets.UTF_8));
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
