package dev.sluice.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A pipeline as users define it: an id, a name, a version (set by the server on every change) and ordered steps.
 *
 * <pre>{@code
 * id: mask-emails
 * name: Mask e-mail addresses
 * steps:
 *   - name: find
 *     detective: {type: pii_email}
 *   - name: mask
 *     transform: {type: mask}
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineSpec(String id, String name, Integer version, List<StepSpec> steps) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    public PipelineSpec withVersion(int version) {
        return new PipelineSpec(id, name, version, steps);
    }

    /**
     * Checks the shape of the definition (not the step arguments, which {@link Pipeline#compile} checks).
     *
     * @throws PipelineException naming the field that is wrong
     */
    public void check() {
        if (id == null || !ID.matcher(id).matches()) {
            throw new PipelineException("id '" + id + "' must be 1-100 of a-z, 0-9, '.', '_', '-', starting with a "
                    + "letter or digit");
        }
        if (steps == null || steps.isEmpty()) {
            throw new PipelineException("steps must list at least one step");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            StepSpec step = steps.get(i);
            if (step == null) {
                throw new PipelineException("steps[" + i + "] is empty").atStep(i, null);
            }
            String label = step.label(i);
            if (step.name() != null && !names.add(step.name())) {
                throw new PipelineException("step '" + step.name() + "' is named twice").atStep(i, step.name());
            }
            try {
                step.kind(label);
            } catch (PipelineException e) {
                throw e.atStep(i, step.name());
            }
        }
    }

    /** The name to show: the name if there is one, else the id. */
    public String displayName() {
        return name == null || name.isBlank() ? id : name;
    }
}
