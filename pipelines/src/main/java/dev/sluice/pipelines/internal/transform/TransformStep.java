package dev.sluice.pipelines.internal.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.TransformSpec;
import dev.sluice.pipelines.internal.Payload;
import dev.sluice.pipelines.internal.Step;
import dev.sluice.pipelines.internal.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compiles transform steps, checking that each has what its type needs and nothing meant for another type (a
 * {@code length} on a {@code mask} is a mistake worth hearing about before records flow).
 */
public final class TransformStep {
    public static final List<String> TYPES =
            List.of("replace_value", "delete_field", "mask", "obfuscate", "truncate", "extract");

    private TransformStep() {
    }

    public static Step compile(TransformSpec spec, String label) {
        String type = spec.type() == null ? "" : spec.type().strip().toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
            throw new PipelineException(label + ": transform type is missing; it is one of "
                    + String.join(", ", TYPES));
        }
        if (!TYPES.contains(type)) {
            throw new PipelineException(label + ": transform type '" + spec.type() + "' is not one of "
                    + String.join(", ", TYPES));
        }
        String where = label + ": " + type;
        onlyFor(where, "value", spec.value() != null, type.equals("replace_value"), "replace_value");
        onlyFor(where, "length", spec.length() != null, type.equals("truncate"), "truncate");
        onlyFor(where, "percent", spec.percent() != null, type.equals("truncate"), "truncate");
        onlyFor(where, "paths", spec.paths() != null, type.equals("extract"), "extract");
        onlyFor(where, "flatten", spec.flatten() != null, type.equals("extract"), "extract");
        JsonPath path = spec.path() == null || spec.path().isBlank() ? null : path(where, spec.path());

        return switch (type) {
            case "replace_value" -> new SpliceTransform(type, path, replaceValue(where, spec));
            case "delete_field" -> new DeleteField(path);
            case "mask" -> new SpliceTransform(type, path, new Mask());
            case "obfuscate" -> new SpliceTransform(type, path, new Obfuscate());
            case "truncate" -> new SpliceTransform(type, path, truncate(where, spec));
            case "extract" -> extract(where, spec);
            default -> throw new IllegalStateException(type);
        };
    }

    private static void onlyFor(String where, String field, boolean given, boolean allowed, String owner) {
        if (given && !allowed) {
            throw new PipelineException(where + " does not take " + field + " (only " + owner + " does)");
        }
    }

    private static JsonPath path(String where, String text) {
        try {
            return JsonPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw new PipelineException(where + ": " + e.getMessage());
        }
    }

    private static Rewrite replaceValue(String where, TransformSpec spec) {
        if (spec.value() == null) {
            throw new PipelineException(where + " needs a value (any JSON; write null for JSON null)");
        }
        try {
            return new ReplaceValue(Payload.MAPPER.writeValueAsBytes(spec.value()));
        } catch (JsonProcessingException e) {
            throw new PipelineException(where + ": value cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static Rewrite truncate(String where, TransformSpec spec) {
        Integer length = spec.length();
        Integer percent = spec.percent();
        if ((length == null) == (percent == null)) {
            throw new PipelineException(where + " needs exactly one of length (characters to keep) and percent "
                    + "(of the characters to keep, 1-100)" + (length == null ? "" : ", not both"));
        }
        if (length != null && length < 0) {
            throw new PipelineException(where + ": length " + length + " is negative");
        }
        if (percent != null && (percent < 1 || percent > 100)) {
            throw new PipelineException(where + ": percent " + percent + " is not between 1 and 100");
        }
        return new Truncate(length == null ? -1 : length, percent == null ? -1 : percent);
    }

    private static Step extract(String where, TransformSpec spec) {
        if (spec.path() != null && !spec.path().isBlank()) {
            throw new PipelineException(where + " takes paths (a list), not path");
        }
        if (spec.paths() == null || spec.paths().isEmpty()) {
            throw new PipelineException(where + " needs paths: the values to keep");
        }
        List<JsonPath> paths = new ArrayList<>(spec.paths().size());
        for (int i = 0; i < spec.paths().size(); i++) {
            String text = spec.paths().get(i);
            if (text == null || text.isBlank()) {
                throw new PipelineException(where + ": paths[" + i + "] is empty (extracting the whole payload "
                        + "changes nothing)");
            }
            JsonPath parsed = path(where, text);
            if (paths.contains(parsed)) {
                throw new PipelineException(where + ": paths lists " + parsed.pointer() + " twice");
            }
            paths.add(parsed);
        }
        if (!Boolean.TRUE.equals(spec.flatten())) {
            return Extract.nested(List.copyOf(paths));
        }
        try {
            return Extract.flattened(List.copyOf(paths));
        } catch (PipelineException e) {
            throw new PipelineException(where + ": " + e.getMessage());
        }
    }
}
