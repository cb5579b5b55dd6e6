package dev.sluice.services.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/**
 * The data of an {@link Event}: JSON when its content type says so (parsed once, when the event is read, so that
 * every filter on {@code data} shares one tree), raw bytes otherwise, or nothing.
 */
public sealed interface EventData {
    /** Data declared as JSON ({@code application/json} or a {@code +json} type, or JSON in a structured event). */
    record Json(JsonNode node) implements EventData {
        public Json {
            if (node == null) {
                throw new IllegalArgumentException("JSON data needs a node (use EventData.none() for no data)");
            }
        }
    }

    /** Data of any other content type, kept as it came. */
    record Bytes(byte[] bytes) implements EventData {
        public Bytes {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bytes that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Bytes[" + bytes.length + " bytes]";
        }
    }

    /** An event without data. */
    record None() implements EventData {
    }

    static EventData none() {
        return NONE;
    }

    /** The one {@link None}; records compare by value anyway, this only saves allocations. */
    None NONE = new None();
}
