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
        assertThat(a.runsOnWorkers()).isFalse();
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
        assertThat(step.runsOnWorkers()).as("stopped by its deadline on this thread").isFalse();

        long start = System.nanoTime();
        StepResult result = run(step, "{}");

        assertThat(result).isEqualTo(StepResult.error("wasm step exceeded 20 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void aModuleWithoutDeadlineChecksRunsOnWorkersUnderTheSameLimits() {
        WasmLimits limits = new WasmLimits(16, Duration.ofMillis(50));
        WasmStep loop = WasmStep.compile("loop", CompiledWasmModule.compile(Wat.module("loop"), false), null, "s",
                limits);
        WasmStep upper = WasmStep.compile("upper", CompiledWasmModule.compile(Wat.module("upper"), false), null, "s",
                limits);
        WasmStep trap = WasmStep.compile("trap", CompiledWasmModule.compile(Wat.module("trap"), false), null, "s",
                limits);

        assertThat(loop.runsOnWorkers()).isTrue();
        long start = System.nanoTime();
        assertThat(run(loop, "{}")).isEqualTo(StepResult.error("wasm step exceeded 50 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        for (int i = 0; i < 20; i++) {
            StepContext context = new StepContext(new Payload("{\"a\": 1}".getBytes()), "a", new InferredSchemas());
            assertThat(upper.run(context)).isEqualTo(StepResult.TRUE);
            assertThat(new String(context.payload().bytes())).isEqualTo("{\"A\": 1}");
        }
        assertThat(run(trap, "{}")).isEqualTo(StepResult.error("wasm trap: unreachable"));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void deadlinesStopOneCallAndLeaveTheOthers() throws Exception {
        WasmStep loop = WasmStep.compile(new WasmSpec("loop", null), Wat.modules("loop"), "s",
                new WasmLimits(16, Duration.ofMillis(100)));
        WasmStep upper = WasmStep.compile(new WasmSpec("upper", null), Wat.modules("upper"), "s",
                new WasmLimits(16, Duration.ofSeconds(5)));
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread busy = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                if (!run(upper, "{\"b\": 2}").equals(StepResult.TRUE)) {
                    wrong.incrementAndGet();
                }
            }
        });

        for (int i = 0; i < 3; i++) {
            assertThat(run(loop, "{}")).isEqualTo(StepResult.error("wasm step exceeded 100 ms"));
        }
        stop.set(true);
        busy.join();

        assertThat(wrong).hasValue(0);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
