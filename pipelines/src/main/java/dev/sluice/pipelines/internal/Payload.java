package dev.sluice.pipelines.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * The record value a pipeline works on: its current bytes and, parsed on first use, its JSON tree. Steps that change
 * the value call {@link #replace} or {@link #replaceTree}; a step must never change the tree from {@link #tree()} in
 * place without handing it back through {@link #replaceTree}, because the bytes are what the record carries.
 *
 * <p>Every change bumps {@link #version()}, so that what a step found in one version (byte offsets of matched
 * values, see {@link Matches}) is not used on another.
 */
public final class Payload {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** Strict about what follows the value ({@code {} x} is not JSON), as the streaming steps are. */
    private static final ObjectReader TREE_READER =
            MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private byte[] bytes;
    private JsonNode tree;
    private boolean changed;
    private int version;

    public Payload(byte[] bytes) {
        this.bytes = bytes;
    }

    public byte[] bytes() {
        return bytes;
    }

    public boolean changed() {
        return changed;
    }

    /** How many times the value has been replaced. */
    public int version() {
        return version;
    }

    /**
     * The value parsed as JSON (cached until the value changes).
     *
     * @throws StepError when the value is not JSON, naming where it broke
     */
    public JsonNode tree() {
        JsonNode parsed = tree;
        if (parsed == null) {
            try {
                parsed = TREE_READER.readTree(bytes);
            } catch (JsonProcessingException e) {
                throw notJson(e);
            } catch (IOException e) {
                throw new StepError("payload is not JSON: " + e.getMessage());
            }
            if (parsed == null || parsed.isMissingNode()) {
                throw new StepError("payload is empty, not JSON");
            }
            tree = parsed;
        }
        return parsed;
    }

    /** Replaces the value with new bytes. */
    public void replace(byte[] newBytes) {
        bytes = newBytes;
        tree = null;
        changed = true;
        version++;
    }

    /** Replaces the value with a tree, serialised now. */
    public void replaceTree(JsonNode newTree) {
        try {
            bytes = MAPPER.writeValueAsBytes(newTree);
        } catch (JsonProcessingException e) {
            throw new StepError("cannot serialise the changed payload: " + e.getOriginalMessage());
        }
        tree = newTree;
        changed = true;
        version++;
    }

    /** The error for a payload Jackson could not read, with the byte where it broke. */
    public static StepError notJson(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null || location.getByteOffset() < 0 ? "" : " at byte " + location.getByteOffset();
        return new StepError("payload is not JSON: " + e.getOriginalMessage() + where);
    }
}
