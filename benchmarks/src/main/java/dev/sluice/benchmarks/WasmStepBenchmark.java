package dev.sluice.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipelines.ChainResult;
import dev.sluice.pipelines.InferredSchemas;
import dev.sluice.pipelines.Pipeline;
import dev.sluice.pipelines.PipelineChain;
import dev.sluice.pipelines.PipelineSpec;
import dev.sluice.pipelines.SchemaValidationSpec;
import dev.sluice.pipelines.StepOutcome;
import dev.sluice.pipelines.StepSpec;
import dev.sluice.pipelines.WasmSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Schema and WebAssembly steps on a 1 KiB JSON payload, each alone in a pipeline, through
 * {@link PipelineChain#process} as the broker calls it (untraced).
 *
 * <p>{@link #wasm}: the {@code identity} module (the ABI's fixed cost: the hand-off to a wasm worker, {@code alloc},
 * the copy in, {@code process}) and {@code upper} (plus a byte loop over the payload and the copy out). The modules
 * are the pipelines tests' WebAssembly text, packed into this jar and compiled with wabt's {@code wat2wasm} in
 * setup, so wabt must be installed where this runs. {@link #workerHandOff} is the hand-off alone (a no-op task on a
 * thread pool and back), the part of a wasm step's time that is not wasm.
 *
 * <p>Goal: a wasm step under 20 µs per record. Run with {@code -bm avgt -tu us}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class WasmStepBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A 1 KiB order: nested object, an array of objects, strings, numbers, a boolean, a null. */
    static final byte[] PAYLOAD = payload();

    @State(Scope.Benchmark)
    public static class WasmState {
        @Param({"identity", "upper"})
        public String module;

        PipelineChain chain;

        @Setup(Level.Trial)
        public void compile() throws Exception {
            byte[] wasm = wat2wasm(module);
            chain = chain(StepSpec.wasm("wasm", new WasmSpec(module, null)), wasm);
            ChainResult check = chain.process(PAYLOAD, "bench", true);
            if (check.trace().getFirst().outcome() != StepOutcome.TRUE) {
                throw new IllegalStateException(module + " answered " + check.trace().getFirst());
            }
        }
    }

    @State(Scope.Benchmark)
    public static class SchemaState {
        PipelineChain validation;
        PipelineChain validJson;
        PipelineChain inference;

        @Setup(Level.Trial)
        public void compile() throws Exception {
            validation = chain(StepSpec.schemaValidation("schema", new SchemaValidationSpec(JSON.readTree("""
                    {"$schema": "https://json-schema.org/draft/2020-12/schema",
                     "type": "object", "required": ["id", "customer", "items", "total"],
                     "properties": {
                       "id": {"type": "integer", "minimum": 1},
                       "customer": {"type": "object", "required": ["email"], "properties": {
                         "email": {"type": "string", "format": "email"}, "name": {"type": "string"},
                         "vip": {"type": "boolean"}}},
                       "items": {"type": "array", "minItems": 1, "items": {"type": "object",
                         "required": ["sku", "qty", "price"], "properties": {
                           "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
                           "qty": {"type": "integer", "minimum": 1}, "price": {"type": "number"}}}},
                       "total": {"type": "number"}, "coupon": {"type": ["string", "null"]},
                       "note": {"type": "string", "maxLength": 2000}}}"""))), null);
            validJson = chain(StepSpec.validJson("json"), null);
            inference = chain(StepSpec.inferSchema("infer"), null);
            for (PipelineChain chain : List.of(validation, validJson, inference)) {
                ChainResult check = chain.process(PAYLOAD, "bench", true);
                if (check.trace().getFirst().outcome() != StepOutcome.TRUE) {
                    throw new IllegalStateException("answered " + check.trace().getFirst());
                }
            }
        }
    }

    @State(Scope.Benchmark)
    public static class HandOffState {
        ExecutorService executor;

        @Setup(Level.Trial)
        public void start() {
            executor = Executors.newFixedThreadPool(4);
        }

        @TearDown(Level.Trial)
        public void stop() {
            executor.shutdownNow();
        }
    }

    @Benchmark
    public ChainResult wasm(WasmState state) {
        return state.chain.process(PAYLOAD, "bench", false);
    }

    @Benchmark
    public ChainResult schemaValidation(SchemaState state) {
        return state.validation.process(PAYLOAD, "bench", false);
    }

    @Benchmark
    public ChainResult validJson(SchemaState state) {
        return state.validJson.process(PAYLOAD, "bench", false);
    }

    /** The payload's shape is already in the schema after setup: the common, no-change path. */
    @Benchmark
    public ChainResult inferSchema(SchemaState state) {
        return state.inference.process(PAYLOAD, "bench", false);
    }

    @Benchmark
    public Integer workerHandOff(HandOffState state) throws Exception {
        return state.executor.submit(() -> 1).get(100, TimeUnit.MILLISECONDS);
    }

    private static PipelineChain chain(StepSpec step, byte[] wasm) {
        Pipeline pipeline = Pipeline.compile(new PipelineSpec("bench", null, 1, List.of(step)), id -> wasm);
        return PipelineChain.of("bench/bench/produce", List.of(pipeline), new InferredSchemas());
    }

    /** Compiles {@code wasm/<name>.wat} from this jar with wabt's wat2wasm. */
    static byte[] wat2wasm(String name) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sluice-wat-");
        try {
            Path source = dir.resolve(name + ".wat");
            Path binary = dir.resolve(name + ".wasm");
            try (InputStream in = WasmStepBenchmark.class.getResourceAsStream("/wasm/" + name + ".wat")) {
                if (in == null) {
                    throw new IllegalStateException("wasm/" + name + ".wat is not in the benchmarks jar");
                }
                Files.write(source, in.readAllBytes());
            }
            Process process = new ProcessBuilder("wat2wasm", source.toString(), "-o", binary.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("wat2wasm failed on " + name + ".wat: " + output);
            }
            return Files.readAllBytes(binary);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    private static byte[] payload() {
        StringBuilder json = new StringBuilder("""
                {"id": 48213, "customer": {"email": "ada@example.com", "name": "Ada Lovelace", "vip": true},
                 "items": [""");
        for (int i = 0; i < 6; i++) {
            json.append(i == 0 ? "" : ", ").append("{\"sku\": \"ABC-100").append(i)
                    .append("\", \"qty\": ").append(i + 1).append(", \"price\": ").append(9.5 + i).append('}');
        }
        json.append("], \"total\": 142.5, \"coupon\": null, \"note\": \"");
        String closing = "\"}";
        while (json.length() + closing.length() < 1024) {
            json.append("lorem ipsum ".charAt(json.length() % 12));
        }
        byte[] bytes = json.append(closing).toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length != 1024) {
            throw new IllegalStateException("payload is " + bytes.length + " bytes, not 1024");
        }
        return bytes;
    }
}
