package dev.sluice.pipelines.internal.wasm;

import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.WasmModules;
import dev.sluice.pipelines.WasmSpec;
import dev.sluice.pipelines.internal.Step;

/** Compiles wasm steps. */
public final class WasmStep {
    private WasmStep() {
    }

    public static Step compile(WasmSpec spec, WasmModules modules, String label) {
        throw new PipelineException(label + ": wasm steps are not built yet");
    }
}
