package dev.sluice.pipelines.internal.detective;

import dev.sluice.pipelines.DetectiveSpec;
import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.internal.Step;

/** Compiles detective steps. */
public final class DetectiveStep {
    private DetectiveStep() {
    }

    public static Step compile(DetectiveSpec spec, String label) {
        throw new PipelineException(label + ": detective steps are not built yet");
    }
}
