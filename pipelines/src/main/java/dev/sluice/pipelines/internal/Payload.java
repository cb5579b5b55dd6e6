package dev.sluice.pipelines.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The record value a pipeline works on: its current bytes and, parsed on first use, its JSON tree. Steps that change
 * the value call {@link #replace} or {@link #replaceTree}; a step must never change the tree from {@link #tree()} in
 * place without handing it back through {@link #replaceTree}, because the bytes are what the record carries.
 */
public final class Payload {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private byte[] bytes;
    private JsonNode tree;
    private boolean changed;

    public Payload(byte[] bytes) {
        this.bytes = bytes;
    }

    public byte[] bytes() {
        return bytes;
    }

    public boolean changed() {
        return changed;
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
                parsed = MAPPER.readTree(bytes);
            } catch (JsonProcessingException e) {
                throw new StepError("payload is not JSON: " + e.getOriginalMessage() + " at byte "
                        + e.getLocation().getByteOffset());
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
    }
}
