package dev.sluice.pipelines.internal.transform;

import dev.sluice.pipelines.internal.Matches;
import dev.sluice.pipelines.internal.StepError;
import dev.sluice.pipelines.internal.json.JsonPath;
import java.util.ArrayList;
import java.util.List;

/** What a transform acts on: its own path when it has one, else what the last detective step matched. */
final class Targets {
    private Targets() {
    }

    /** The matched values' paths, parsed. */
    static List<JsonPath> paths(Matches matches) {
        List<JsonPath> paths = new ArrayList<>(matches.paths().size());
        for (String pointer : matches.paths()) {
            try {
                paths.add(JsonPath.parsePointer(pointer));
            } catch (IllegalArgumentException e) {
                throw new StepError("a matched path is not a JSON Pointer: " + e.getMessage());
            }
        }
        return paths;
    }
}
