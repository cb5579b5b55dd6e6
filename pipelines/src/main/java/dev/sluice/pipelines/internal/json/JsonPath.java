package dev.sluice.pipelines.internal.json;

import java.util.ArrayList;
import java.util.List;

/**
 * A path to a value, parsed once: a JSON Pointer ({@code /user/email}, RFC 6901) or a dotted path
 * ({@code user.email}, {@code items.0.id}). A segment that is a plain non-negative integer also indexes arrays, so
 * {@code items.0} reaches the first element of an array and the member {@code "0"} of an object. The empty path is
 * the whole payload.
 */
public final class JsonPath {
    public static final JsonPath ROOT = new JsonPath(new String[0], "");

    private final String[] names;
    private final int[] indexes;
    private final String pointer;

    private JsonPath(String[] names, String pointer) {
        this.names = names;
        this.indexes = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            indexes[i] = arrayIndex(names[i]);
        }
        this.pointer = pointer;
    }

    /**
     * Parses a path as users write it: a JSON Pointer when it starts with {@code /}, else a dotted path; null or
     * blank is the whole payload.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static JsonPath parse(String text) {
        if (text == null || text.isBlank()) {
            return ROOT;
        }
        String trimmed = text.strip();
        return trimmed.startsWith("/") ? parsePointer(trimmed) : parseDotted(trimmed);
    }

    /**
     * Parses a JSON Pointer ({@code ""} or {@code /a/b}, with {@code ~0} for {@code ~} and {@code ~1} for {@code /}).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static JsonPath parsePointer(String pointer) {
        if (pointer.isEmpty()) {
            return ROOT;
        }
        if (pointer.charAt(0) != '/') {
            throw new IllegalArgumentException("JSON Pointer '" + pointer + "' must start with '/'");
        }
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        for (int i = 1; i < pointer.length(); i++) {
            char c = pointer.charAt(i);
            if (c == '/') {
                segments.add(segment.toString());
                segment.setLength(0);
            } else if (c == '~') {
                char next = i + 1 < pointer.length() ? pointer.charAt(i + 1) : 0;
                if (next != '0' && next != '1') {
                    throw new IllegalArgumentException("JSON Pointer '" + pointer + "' has '~' at " + i
                            + " not followed by 0 or 1 (write ~0 for '~' and ~1 for '/')");
                }
                segment.append(next == '0' ? '~' : '/');
                i++;
            } else {
                segment.append(c);
            }
        }
        segments.add(segment.toString());
        return new JsonPath(segments.toArray(String[]::new), pointer);
    }

    private static JsonPath parseDotted(String dotted) {
        String[] segments = dotted.split("\\.", -1);
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                throw new IllegalArgumentException("path '" + dotted + "' has an empty segment (segment " + (i + 1)
                        + "); write a member name with dots in it as a JSON Pointer, /a.b");
            }
        }
        return new JsonPath(segments, toPointer(segments));
    }

    /** A path to a member or element under this one. */
    public JsonPath child(String name) {
        String[] longer = java.util.Arrays.copyOf(names, names.length + 1);
        longer[names.length] = name;
        return new JsonPath(longer, pointer + "/" + escape(name));
    }

    private static String toPointer(String[] segments) {
        StringBuilder pointer = new StringBuilder();
        for (String segment : segments) {
            pointer.append('/').append(escape(segment));
        }
        return pointer.toString();
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    /** The array index a segment names: a plain non-negative integer without leading zeros, else -1. */
    private static int arrayIndex(String segment) {
        int length = segment.length();
        if (length == 0 || length > 9 || (length > 1 && segment.charAt(0) == '0')) {
            return -1;
        }
        int index = 0;
        for (int i = 0; i < length; i++) {
            char c = segment.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            index = index * 10 + (c - '0');
        }
        return index;
    }

    public boolean isRoot() {
        return names.length == 0;
    }

    public int depth() {
        return names.length;
    }

    /** The member name of segment {@code i}. */
    public String name(int i) {
        return names[i];
    }

    /** The array index of segment {@code i}, or -1 when it cannot index an array. */
    public int index(int i) {
        return indexes[i];
    }

    /** The last segment's name, or "" for the whole payload. */
    public String last() {
        return names.length == 0 ? "" : names[names.length - 1];
    }

    /** The path as a JSON Pointer, how matches and messages name it. */
    public String pointer() {
        return pointer;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonPath path && path.pointer.equals(pointer);
    }

    @Override
    public int hashCode() {
        return pointer.hashCode();
    }

    @Override
    public String toString() {
        return pointer;
    }
}
