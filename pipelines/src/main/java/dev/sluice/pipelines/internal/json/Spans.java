package dev.sluice.pipelines.internal.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * Values located in one version of a payload's bytes: where each starts and ends (end exclusive, a string's quotes
 * included), what kind of value it is and, for strings, how many code points the unescaped text has. This is what
 * lets a transform splice new bytes into the payload instead of parsing it into a tree and writing it out again.
 * Filled in document order; not thread-safe (one per record).
 */
public final class Spans {
    public static final byte STRING = 1;
    public static final byte NUMBER = 2;
    public static final byte BOOLEAN = 3;
    public static final byte NULL = 4;
    public static final byte OBJECT = 5;
    public static final byte ARRAY = 6;

    private int size;
    private int[] starts = new int[2];
    private int[] ends = new int[2];
    private byte[] kinds = new byte[2];
    private int[] codePoints = new int[2];
    private boolean containers;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }

    public byte kind(int i) {
        return kinds[i];
    }

    /** The code points of a string's unescaped text; 0 for other kinds. */
    public int codePoints(int i) {
        return codePoints[i];
    }

    /** Whether an object or array is among the spans. */
    public boolean hasContainers() {
        return containers;
    }

    public void add(int start, int end, byte kind, int textCodePoints) {
        if (size == starts.length) {
            int capacity = size * 2;
            starts = Arrays.copyOf(starts, capacity);
            ends = Arrays.copyOf(ends, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
            codePoints = Arrays.copyOf(codePoints, capacity);
        }
        starts[size] = start;
        ends[size] = end;
        kinds[size] = kind;
        codePoints[size] = textCodePoints;
        containers |= kind == OBJECT || kind == ARRAY;
        size++;
    }

    /**
     * Records the value whose first token the parser is on, and consumes it: afterwards the parser is on the value's
     * last token.
     */
    public void addValue(JsonParser parser, JsonToken token) throws IOException {
        int start = JsonScan.tokenStart(parser);
        byte kind = kindOf(token);
        int textCodePoints = 0;
        if (kind == STRING) {
            textCodePoints = JsonScan.codePoints(parser);
        } else if (kind == OBJECT || kind == ARRAY) {
            parser.skipChildren();
        }
        add(start, JsonScan.currentEnd(parser), kind, textCodePoints);
    }

    /**
     * Records every string and number in the value whose first token the parser is on (the value itself when it is
     * a scalar), and consumes it. Booleans and nulls inside a container are left out: nothing rewrites them.
     */
    public void addLeaves(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            addValue(parser, token);
            return;
        }
        int depth = 0;
        JsonToken current = token;
        while (true) {
            switch (current) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> addValue(parser, current);
                default -> {
                }
            }
            if (depth == 0) {
                return;
            }
            current = parser.nextToken();
        }
    }

    public static byte kindOf(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> STRING;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> NUMBER;
            case VALUE_TRUE, VALUE_FALSE -> BOOLEAN;
            case VALUE_NULL -> NULL;
            case START_OBJECT -> OBJECT;
            case START_ARRAY -> ARRAY;
            default -> throw new IllegalStateException("not the first token of a value: " + token);
        };
    }

    /** How messages name a kind of value. */
    public static String describe(byte kind) {
        return switch (kind) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            default -> "a value of kind " + kind;
        };
    }
}
