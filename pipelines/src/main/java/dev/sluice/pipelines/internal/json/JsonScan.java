package dev.sluice.pipelines.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import dev.sluice.pipelines.internal.Payload;
import dev.sluice.pipelines.internal.StepError;
import java.io.IOException;

/**
 * One streaming pass over a payload with Jackson's parser, stopping at the values some paths reach. The whole payload
 * is always read, so a payload that is not JSON is an error even when the paths come before the damage; but values
 * off the paths are only tokenised, never turned into strings or numbers, which is what makes a pass over 1 KiB cost
 * about a microsecond where building a tree costs several.
 */
public final class JsonScan {
    private static final JsonFactory FACTORY = Payload.MAPPER.getFactory();

    private JsonScan() {
    }

    /** Called at each value a path reaches, the parser on its first token; must consume the whole value. */
    @FunctionalInterface
    public interface Visitor {
        void value(JsonParser parser, JsonToken token) throws IOException;
    }

    /**
     * Reads the whole payload, calling {@code visitor} at each value {@code paths} reach (in document order; twice
     * for a member named twice).
     *
     * @throws StepError when the payload is not one JSON value in UTF-8
     */
    public static void walk(byte[] bytes, PathSet paths, Visitor visitor) {
        try (JsonParser parser = open(bytes)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new StepError("payload is empty, not JSON");
            }
            walk(parser, token, paths.root(), visitor);
            if (parser.nextToken() != null) {
                throw new StepError("payload is not JSON: a second value starts at byte " + tokenStart(parser));
            }
        } catch (JsonProcessingException e) {
            throw Payload.notJson(e);
        } catch (IOException e) {
            throw new StepError("payload is not JSON: " + e.getMessage());
        }
    }

    private static void walk(JsonParser parser, JsonToken token, PathSet.Node node, Visitor visitor)
            throws IOException {
        if (node.end()) {
            visitor.value(parser, token);
            return;
        }
        if (token == JsonToken.START_OBJECT) {
            JsonToken next;
            while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                PathSet.Node child = node.member(parser.currentName());
                JsonToken value = parser.nextToken();
                if (child == null) {
                    skip(parser, value);
                } else {
                    walk(parser, value, child, visitor);
                }
            }
        } else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            JsonToken value;
            while ((value = parser.nextToken()) != JsonToken.END_ARRAY && value != null) {
                PathSet.Node child = node.element(index++);
                if (child == null) {
                    skip(parser, value);
                } else {
                    walk(parser, value, child, visitor);
                }
            }
        }
    }

    /** Consumes the value whose first token the parser is on, without decoding it. */
    public static void skip(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            parser.skipChildren();
        }
    }

    /**
     * A parser over the payload that reports byte offsets. Jackson reads UTF-16 and UTF-32 too, but with char
     * offsets, which would splice at the wrong places; Kafka payloads are UTF-8, so anything else is refused.
     */
    private static JsonParser open(byte[] bytes) throws IOException {
        JsonParser parser = FACTORY.createParser(bytes);
        if (!(parser instanceof UTF8StreamJsonParser)) {
            parser.close();
            throw new StepError("payload is not JSON in UTF-8");
        }
        return parser;
    }

    /** A parser over one value inside the payload (offsets relative to {@code start}). */
    public static JsonParser openValue(byte[] bytes, int start, int end) throws IOException {
        return FACTORY.createParser(bytes, start, end - start);
    }

    /** Where the current token starts (a string's opening quote). */
    public static int tokenStart(JsonParser parser) {
        return (int) parser.currentTokenLocation().getByteOffset();
    }

    /** Where the current token ends; a string token must have been read (its text asked for) first. */
    public static int currentEnd(JsonParser parser) {
        return (int) parser.currentLocation().getByteOffset();
    }

    /** Reads the current string token and counts the code points of its text. */
    public static int codePoints(JsonParser parser) throws IOException {
        char[] text = parser.getTextCharacters();
        return Character.codePointCount(text, parser.getTextOffset(), parser.getTextLength());
    }

    /**
     * The JSON Pointer of the value whose first token the parser is on. Jackson has already entered an object or
     * array at its start token, so the pointer is its parent context's.
     */
    public static String pointer(JsonParser parser, JsonToken token) {
        JsonStreamContext context = parser.getParsingContext();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            context = context.getParent();
        }
        // Written straight from the contexts: JsonStreamContext.pathAsPointer builds a JsonPointer object per level.
        StringBuilder pointer = new StringBuilder(32);
        append(pointer, context);
        return pointer.toString();
    }

    private static void append(StringBuilder pointer, JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return;
        }
        append(pointer, context.getParent());
        pointer.append('/');
        if (context.inArray()) {
            pointer.append(context.getCurrentIndex());
            return;
        }
        String name = context.getCurrentName();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '~') {
                pointer.append("~0");
            } else if (c == '/') {
                pointer.append("~1");
            } else {
                pointer.append(c);
            }
        }
    }

    /** The name of the member the parser's current value belongs to, or null in an array or at the root. */
    public static String memberName(JsonParser parser, JsonToken token) {
        JsonStreamContext context = parser.getParsingContext();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            context = context.getParent();
        }
        return context != null && context.inObject() ? context.getCurrentName() : null;
    }
}
