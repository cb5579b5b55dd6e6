package dev.sluice.pipelines.internal.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipelines.InferredSchemas;
import dev.sluice.pipelines.StepOutcome;
import dev.sluice.pipelines.WasmModules;
import dev.sluice.pipelines.WasmSpec;
import dev.sluice.pipelines.Wat;
import dev.sluice.pipelines.internal.Payload;
import dev.sluice.pipelines.internal.StepContext;
import dev.sluice.pipelines.internal.StepError;
import dev.sluice.pipelines.internal.StepResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WasmModulesTest {
    private static StepResult run(WasmStep step, String value) {
        StepContext context = new StepContext(new Payload(value.getBytes()), "a", new InferredSchemas());
        try {
            return step.run(context);
        } catch (StepError e) {
            return StepResult.error(e.getMessage());
        }
    }

    @Test
    void theSameBytesCompileOnceAndRunAsBytecode() {
        CompiledWasmModule first = WasmModuleCache.SHARED.compile(Wat.module("upper"));
        CompiledWasmModule second = WasmModuleCache.SHARED.compile(Wat.module("upper"));

        assertThat(second).isSameAs(first);
        assertThat(first.engine()).isEqualTo("compiler");
        assertThat(WasmModuleCache.SHARED.compile(Wat.module("identity"))).isNotSameAs(first);
    }

    @Test
    void stepsWithTheSameModuleShareItsCompilationButNotInstances() {
        WasmModules modules = Wat.modules("upper");
        WasmStep a = WasmStep.compile(new WasmSpec("upper", null), modules, "a", WasmLimits.DEFAULT);
        WasmStep b = WasmStep.compile(new WasmSpec("upper", null), modules, "b", WasmLimits.DEFAULT);

        assertThat(a.engine()).isEqualTo("compiler");
        assertThat(run(a, "x").outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(run(b, "y").outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(a.moduleId()).isEqualTo(b.moduleId());
    }

    @Test
    void theMemoryLimitIsWhatRefusesTheGrowth() {
        WasmModules modules = Wat.modules("grow");
        WasmStep limited = WasmStep.compile(new WasmSpec("grow", null), modules, "s", WasmLimits.DEFAULT);
        WasmStep roomy = WasmStep.compile(new WasmSpec("grow", null), modules, "s",
                new WasmLimits(512, Duration.ofSeconds(1)));

        assertThat(run(limited, "{}")).isEqualTo(StepResult.error("wasm trap: unreachable"));
        assertThat(run(roomy, "{}")).isEqualTo(StepResult.TRUE);
    }

    @Test
    void theTimeLimitIsConfigurable() {
        WasmStep step = WasmStep.compile(new WasmSpec("loop", null), Wat.modules("loop"), "s",
                new WasmLimits(16, Duration.ofMillis(20)));

        long start = System.nanoTime();
        StepResult result = run(step, "{}");

        assertThat(result).isEqualTo(StepResult.error("wasm step exceeded 20 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    }
}
