package dev.sluice.pipelines;

import dev.sluice.pipelines.internal.CompiledStep;
import java.util.ArrayList;
import java.util.List;

/** A pipeline compiled from its {@link PipelineSpec}: immutable, safe to run from many threads at once. */
public final class Pipeline {
    private final PipelineSpec spec;
    private final CompiledStep[] steps;

    private Pipeline(PipelineSpec spec, CompiledStep[] steps) {
        this.spec = spec;
        this.steps = steps;
    }

    /**
     * Checks and compiles a pipeline.
     *
     * @throws PipelineException naming the step and field that is wrong
     */
    public static Pipeline compile(PipelineSpec spec, WasmModules modules) {
        spec.check();
        List<CompiledStep> compiled = new ArrayList<>(spec.steps().size());
        for (int i = 0; i < spec.steps().size(); i++) {
            StepSpec step = spec.steps().get(i);
            try {
                compiled.add(CompiledStep.compile(step, i, modules));
            } catch (PipelineException e) {
                throw e.atStep(i, step.name());
            }
        }
        return new Pipeline(spec, compiled.toArray(CompiledStep[]::new));
    }

    /** Every detective step type, in the order the README lists them. */
    public static List<String> detectiveTypes() {
        return dev.sluice.pipelines.internal.detective.DetectiveStep.TYPES;
    }

    /** Every transform step type. */
    public static List<String> transformTypes() {
        return dev.sluice.pipelines.internal.transform.TransformStep.TYPES;
    }

    public PipelineSpec spec() {
        return spec;
    }

    public String id() {
        return spec.id();
    }

    public int version() {
        return spec.version() == null ? 0 : spec.version();
    }

    CompiledStep[] steps() {
        return steps;
    }
}
