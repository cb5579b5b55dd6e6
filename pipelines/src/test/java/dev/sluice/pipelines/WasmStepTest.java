package dev.sluice.pipelines;

import static dev.sluice.pipelines.Chains.report;
import static dev.sluice.pipelines.Chains.run;
import static dev.sluice.pipelines.Chains.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipelines.ConditionSpec.Then;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WasmStepTest {
    private static final WasmModules MODULES = Wat.modules("identity", "upper", "false", "error", "trap", "loop",
            "grow", "big-memory", "out-of-bounds", "args", "no-process", "imports");

    private static StepSpec wasm(String module) {
        return StepSpec.wasm("w", new WasmSpec(module, null));
    }

    private static ChainResult runWasm(String module, String value) {
        return run(wasm(module), MODULES, value);
    }

    /** Each module's answer to {"name": "sluice"}: outcome, detail, and the value after the step. */
    static Stream<Arguments> modules() {
        String value = "{\"name\": \"sluice\"}";
        return Stream.of(
                Arguments.of("identity", StepOutcome.TRUE, null, value),
                Arguments.of("upper", StepOutcome.TRUE, null, "{\"NAME\": \"SLUICE\"}"),
                Arguments.of("false", StepOutcome.FALSE, null, value),
                Arguments.of("error", StepOutcome.ERROR, "record has no 'id' field", value),
                Arguments.of("trap", StepOutcome.ERROR, "wasm trap: unreachable", value),
                Arguments.of("loop", StepOutcome.ERROR, "wasm step exceeded 100 ms", value),
                Arguments.of("grow", StepOutcome.ERROR, "wasm trap: unreachable", value),
                Arguments.of("out-of-bounds", StepOutcome.ERROR,
                        "wasm output [2147418112, 2147418128) is outside memory (65536 bytes)", value),
                // Without the "replacement" arg the args module answers false.
                Arguments.of("args", StepOutcome.FALSE, null, value));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void eachModuleAnswersThroughTheAbi(String module, StepOutcome outcome, String detail, String after) {
        ChainResult result = runWasm(module, "{\"name\": \"sluice\"}");

        assertThat(report(result).outcome()).isEqualTo(outcome);
        assertThat(report(result).detail()).isEqualTo(detail);
        assertThat(text(result)).isEqualTo(after);
        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aPayloadNothingChangedComesBackAsTheSameArray() {
        byte[] value = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        PipelineChain chain = Chains.chain(Chains.pipeline(MODULES, wasm("identity")), new InferredSchemas());

        ChainResult result = chain.process(value, "topic", false);

        assertThat(result.value()).isSameAs(value);
        assertThat(result.changed()).isFalse();
    }

    @Test
    void upperCaseLeavesMultiByteCharactersAlone() {
        ChainResult result = runWasm("upper", "{\"city\": \"zürich\", \"empty\": \"\"}");

        assertThat(text(result)).isEqualTo("{\"CITY\": \"ZüRICH\", \"EMPTY\": \"\"}");
        assertThat(result.changed()).isTrue();
    }

    @Test
    void aLargePayloadGrowsTheModulesMemory() {
        String large = "x".repeat(300_000);

        ChainResult result = runWasm("upper", large);

        assertThat(report(result).outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(text(result)).isEqualTo("X".repeat(300_000));
    }

    @Test
    void aPayloadBeyondTheMemoryLimitIsAnError() {
        // Fits alone (9 MiB of 16), but not with the module's 9 MiB output: memory.grow fails, the module traps.
        ChainResult copied = runWasm("upper", "x".repeat(9 * 1024 * 1024));
        assertThat(report(copied).outcome()).isEqualTo(StepOutcome.ERROR);
        assertThat(report(copied).detail()).isEqualTo("wasm trap: unreachable");

        // Cannot fit at all: the host says so without calling the module.
        ChainResult tooLarge = runWasm("upper", "x".repeat(17 * 1024 * 1024));
        assertThat(report(tooLarge).detail())
                .isEqualTo("payload of 17825792 bytes does not fit the wasm memory limit of 16384 KiB");
    }

    @Test
    void argsReachTheModuleAsAJsonObject() {
        StepSpec step = StepSpec.wasm("w", new WasmSpec("args", Map.of("other", "x", "replacement", "REDACTED")));

        ChainResult result = run(step, MODULES, "{\"secret\": 1}");

        assertThat(report(result).outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(text(result)).isEqualTo("REDACTED");
        assertThat(result.changed()).isTrue();
    }

    @Test
    void answersFollowTheirConditions() {
        ChainResult deadLetter = run(wasm("false").onFalse(ConditionSpec.then(Then.DEAD_LETTER)
                .withTopic("quarantine").withMetadata(Map.of("why", "wasm"))), MODULES, "{}");
        assertThat(deadLetter.verdict()).isEqualTo(Verdict.DEAD_LETTER);
        assertThat(deadLetter.deadLetter()).isEqualTo("quarantine");
        assertThat(deadLetter.headers()).containsEntry("why", "wasm");
        assertThat(deadLetter.reason()).isEqualTo("pipeline 'p' step 'w' answered false");

        ChainResult dropped = run(wasm("trap").onError(ConditionSpec.then(Then.DROP).withNotify()), MODULES, "{}");
        assertThat(dropped.verdict()).isEqualTo(Verdict.DROP);
        assertThat(dropped.reason()).isEqualTo("pipeline 'p' step 'w' answered error: wasm trap: unreachable");
        assertThat(dropped.notifications()).singleElement()
                .satisfies(n -> assertThat(n.detail()).isEqualTo("wasm trap: unreachable"));

        // Left out, an error aborts the pipeline: the next step does not run, the record passes as it was.
        Pipeline pipeline = Chains.pipeline(MODULES, wasm("error"),
                StepSpec.wasm("after", new WasmSpec("upper", null)));
        ChainResult aborted = Chains.chain(pipeline, new InferredSchemas()).process("{}".getBytes(), "topic", true);
        assertThat(aborted.verdict()).isEqualTo(Verdict.PASS);
        assertThat(aborted.trace()).hasSize(1);
    }

    @Test
    void aTransformedPayloadIsWhatLaterStepsSee() throws Exception {
        Pipeline pipeline = Chains.pipeline(MODULES,
                StepSpec.wasm("upper", new WasmSpec("upper", null)),
                StepSpec.schemaValidation("check", new SchemaValidationSpec(new com.fasterxml.jackson.databind
                        .ObjectMapper().readTree("{\"required\": [\"NAME\"]}")))
                        .onFalse(ConditionSpec.then(Then.DROP)));

        ChainResult result = Chains.chain(pipeline, new InferredSchemas())
                .process("{\"name\": \"x\"}".getBytes(), "topic", true);

        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.trace()).extracting(StepReport::outcome).containsExactly(StepOutcome.TRUE, StepOutcome.TRUE);
        assertThat(result.trace().getFirst().payloadAfter()).isEqualTo("{\"NAME\": \"X\"}");
    }

    @Test
    void aTimedOutStepKeepsWorking() {
        PipelineChain loop = Chains.chain(Chains.pipeline(MODULES, wasm("loop")), new InferredSchemas());
        PipelineChain upper = Chains.chain(Chains.pipeline(MODULES, wasm("upper")), new InferredSchemas());

        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            ChainResult result = loop.process("{}".getBytes(), "topic", true);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(report(result).detail()).isEqualTo("wasm step exceeded 100 ms");
            assertThat(millis).isBetween(100L, 1000L);
        }
        // The deadline ended only the calls that ran over it.
        for (int i = 0; i < 50; i++) {
            assertThat(text(upper.process("{\"a\": 1}".getBytes(), "topic", false))).isEqualTo("{\"A\": 1}");
        }
    }

    @Test
    void manyThreadsShareOneStepWithoutSharingAnInstance() throws Exception {
        PipelineChain chain = Chains.chain(Chains.pipeline(MODULES, wasm("upper")), new InferredSchemas());
        AtomicInteger wrong = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 300; i++) {
                    String value = "{\"thread\": \"t" + thread + "\", \"i\": \"" + "abc".repeat(i % 50) + "\"}";
                    String out = text(chain.process(value.getBytes(), "topic", false));
                    if (!out.equals(value.toUpperCase(java.util.Locale.ROOT))) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(wrong).hasValue(0);
    }

    /** Modules refused when the pipeline is compiled, and why. */
    static Stream<Arguments> refusedModules() {
        return Stream.of(
                Arguments.of("missing", "step 'w': wasm module 'missing' does not exist"),
                Arguments.of("big-memory", "step 'w': wasm module 'big-memory' declares 1000 initial memory pages, "
                        + "more than the limit of 256 (16 MiB)"),
                Arguments.of("no-process", "step 'w': wasm module 'no-process' does not export 'process' "
                        + "(the ABI needs memory, alloc and process)"),
                Arguments.of("imports", "step 'w': wasm module 'imports' imports env.log; wasm steps get no imports"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedModules")
    void aModuleThatCannotRunFailsTheCompile(String module, String message) {
        assertThatThrownBy(() -> Chains.pipeline(MODULES, wasm(module)))
                .isInstanceOf(PipelineException.class)
                .hasMessage(message);
    }

    @Test
    void bytesThatAreNotWasmFailTheCompile() {
        WasmModules modules = id -> "not wasm at all".getBytes();

        assertThatThrownBy(() -> Chains.pipeline(modules, wasm("junk")))
                .isInstanceOf(PipelineException.class)
                .hasMessageStartingWith("step 'w': wasm module 'junk' is not a valid WebAssembly module: ");
    }

    @Test
    void aStepWithoutAModuleFailsTheCompile() {
        assertThatThrownBy(() -> Chains.pipeline(MODULES, wasm(" ")))
                .isInstanceOf(PipelineException.class)
                .hasMessage("step 'w': wasm.module is required");
    }
}
