package dev.sluice.pipelines.internal;

import java.util.List;

/** What a detective step matched: the JSON Pointers of the matched values, for a transform step without a path. */
public final class Matches {
    public static final Matches NONE = new Matches(List.of());

    private final List<String> paths;

    public Matches(List<String> paths) {
        this.paths = paths;
    }

    public List<String> paths() {
        return paths;
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }
}
