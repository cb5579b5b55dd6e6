package dev.sluice.pipelines.internal;

import dev.sluice.pipelines.internal.json.Spans;
import java.util.List;

/**
 * What a detective step matched: the JSON Pointers of the matched values, for a transform step without a path. A
 * detective that read the payload with the streaming parser also hands over where those values are in the bytes
 * ({@link Spans}), so that a transform right after it can rewrite them without reading the payload again; those
 * offsets hold only for the payload version they were found in, which {@link #spansIn} checks.
 */
public final class Matches {
    public static final Matches NONE = new Matches(List.of());

    private final List<String> paths;
    private final Spans spans;
    private final byte[] foundIn;
    private final int version;

    public Matches(List<String> paths) {
        this(paths, null, null, -1);
    }

    /**
     * @param paths   the matched values' JSON Pointers
     * @param spans   where those values are in {@code payload}'s current bytes, one per path, in document order
     * @param payload the payload they were found in
     */
    public Matches(List<String> paths, Spans spans, Payload payload) {
        this(paths, spans, payload.bytes(), payload.version());
    }

    private Matches(List<String> paths, Spans spans, byte[] foundIn, int version) {
        this.paths = paths;
        this.spans = spans;
        this.foundIn = foundIn;
        this.version = version;
    }

    public List<String> paths() {
        return paths;
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    /** Where the matched values are in the payload's current bytes, or null when it changed since they were found. */
    public Spans spansIn(Payload payload) {
        return spans != null && payload.version() == version && payload.bytes() == foundIn ? spans : null;
    }
}
