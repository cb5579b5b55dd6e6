package dev.sluice.pipelines;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs steps through the public API, the way the broker does: compile a pipeline, build a chain, process. */
final class Chains {
    static final String AUDIENCE = "svc/topic/produce";

    private Chains() {
    }

    static Pipeline pipeline(WasmModules modules, StepSpec... steps) {
        return Pipeline.compile(new PipelineSpec("p", null, 1, List.of(steps)), modules);
    }

    static PipelineChain chain(Pipeline pipeline, InferredSchemas schemas) {
        return PipelineChain.of(AUDIENCE, List.of(pipeline), schemas);
    }

    static ChainResult run(StepSpec step, String value) {
        return run(step, WasmModules.NONE, value);
    }

    static ChainResult run(StepSpec step, WasmModules modules, String value) {
        return chain(pipeline(modules, step), new InferredSchemas())
                .process(value.getBytes(StandardCharsets.UTF_8), "topic", true);
    }

    /** The one step's report. */
    static StepReport report(ChainResult result) {
        return result.trace().getFirst();
    }

    static String text(ChainResult result) {
        return new String(result.value(), StandardCharsets.UTF_8);
    }
}
