package dev.sluice.pipelines.internal.transform;

import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.TransformSpec;
import dev.sluice.pipelines.internal.Step;

/** Compiles transform steps. */
public final class TransformStep {
    private TransformStep() {
    }

    public static Step compile(TransformSpec spec, String label) {
        throw new PipelineException(label + ": transform steps are not built yet");
    }
}
