package dev.sluice.pipelines.internal.detective;

import dev.sluice.pipelines.DetectiveSpec;
import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.internal.Step;
import dev.sluice.pipelines.internal.detective.pii.DetectorSet;
import dev.sluice.pipelines.internal.detective.pii.PiiDetectors;
import dev.sluice.pipelines.internal.detective.pii.SensitiveKeys;
import dev.sluice.pipelines.internal.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compiles detective steps: checks the type, path and args once, so that a record only meets a step that can run.
 * The types are listed in the module README.
 */
public final class DetectiveStep {
    public static final String KEYWORD = "pii_keyword";

    /** Every type, in the order the README and error messages list them. */
    public static final List<String> TYPES;

    static {
        List<String> types = new ArrayList<>(ValueChecks.TYPES);
        types.addAll(PiiDetectors.TYPES);
        types.add(PiiDetectors.ANY);
        types.add(KEYWORD);
        TYPES = List.copyOf(types);
    }

    private DetectiveStep() {
    }

    public static Step compile(DetectiveSpec spec, String label) {
        String type = spec.type() == null ? "" : spec.type().strip().toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
            throw new PipelineException(label + ": detective type is missing; it is one of " + String.join(", ", TYPES));
        }
        JsonPath path;
        try {
            path = JsonPath.parse(spec.path());
        } catch (IllegalArgumentException e) {
            throw new PipelineException(label + ": " + e.getMessage());
        }
        List<String> argList = spec.args() == null ? List.of() : spec.args();
        for (int i = 0; i < argList.size(); i++) {
            if (argList.get(i) == null) {
                throw new PipelineException(label + ": " + type + " args[" + i + "] is null");
            }
        }
        Args args = new Args(label, type, argList);
        boolean negate = Boolean.TRUE.equals(spec.negate());

        if (type.equals(KEYWORD)) {
            SensitiveKeys keys;
            try {
                keys = SensitiveKeys.of(argList);
            } catch (IllegalArgumentException e) {
                throw args.error(e.getMessage());
            }
            return new SearchDetective(path, new KeywordSearch(keys), negate);
        }
        DetectorSet detectors = PiiDetectors.forType(type);
        if (detectors != null) {
            args.none();
            return new SearchDetective(path, new PiiSearch(detectors), negate);
        }
        ValueCheck check = ValueChecks.compile(type, args);
        if (check == null) {
            throw new PipelineException(label + ": detective type '" + spec.type() + "' is not one of "
                    + String.join(", ", TYPES));
        }
        boolean existence = type.equals("has_field");
        if (existence && path.isRoot()) {
            throw new PipelineException(label + ": has_field needs a path (the payload itself always exists)");
        }
        return new ValueDetective(path, check, negate, existence);
    }
}
