package dev.sluice.pipelines.internal.wasm;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.StepOutcome;
import dev.sluice.pipelines.WasmModules;
import dev.sluice.pipelines.WasmSpec;
import dev.sluice.pipelines.internal.Payload;
import dev.sluice.pipelines.internal.Step;
import dev.sluice.pipelines.internal.StepContext;
import dev.sluice.pipelines.internal.StepError;
import dev.sluice.pipelines.internal.StepResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;

/**
 * A custom WebAssembly step (ABI in the module README). Each record runs on a {@linkplain WasmWorkers wasm worker}
 * within the time limit, on an instance borrowed from the step's pool: instantiating costs about 40 µs, a call on a
 * warm instance well under one, so instances are reused, and the ABI has modules start their heap over on each
 * {@code alloc}. An instance that trapped, timed out or grew its memory is dropped, never reused.
 *
 * <p>Instances are per step, not shared between steps that use the same module: the records one instance sees all
 * pass through one pipeline step, whatever its memory kept from the previous record.
 */
public final class WasmStep implements Step {
    /** How long compiling a step may spend instantiating its first instance (which runs the start function). */
    private static final Duration INSTANTIATE_TIMEOUT = Duration.ofSeconds(2);

    private final String moduleId;
    private final CompiledWasmModule module;
    private final MemoryLimits memory;
    private final byte[] args;
    private final WasmLimits limits;
    private final WasmWorkers workers;
    private final String timeoutDetail;
    private final ArrayBlockingQueue<WasmInstance> idle;

    private WasmStep(String moduleId, CompiledWasmModule module, MemoryLimits memory, byte[] args, WasmLimits limits,
                     WasmWorkers workers, int poolSize) {
        this.moduleId = moduleId;
        this.module = module;
        this.memory = memory;
        this.args = args;
        this.limits = limits;
        this.workers = workers;
        this.timeoutDetail = "wasm step exceeded " + limits.describeTimeout();
        this.idle = new ArrayBlockingQueue<>(poolSize);
    }

    public static Step compile(WasmSpec spec, WasmModules modules, String label) {
        return compile(spec, modules, label, WasmLimits.DEFAULT);
    }

    /**
     * Compiles a wasm step: finds the module, compiles it (or takes it from the cache), checks it against the ABI and
     * the limits, and instantiates it once, so that everything short of a record's own run fails here.
     *
     * @throws PipelineException naming the step and the module
     */
    public static WasmStep compile(WasmSpec spec, WasmModules modules, String label, WasmLimits limits) {
        if (spec == null || spec.module() == null || spec.module().isBlank()) {
            throw new PipelineException(label + ": wasm.module is required");
        }
        String id = spec.module();
        byte[] bytes = modules == null ? null : modules.module(id);
        if (bytes == null) {
            throw new PipelineException(label + ": wasm module '" + id + "' does not exist");
        }
        CompiledWasmModule module;
        try {
            module = WasmModuleCache.SHARED.compile(bytes);
        } catch (IllegalArgumentException e) {
            throw new PipelineException(label + ": wasm module '" + id + "' " + e.getMessage(), e);
        }
        if (module.initialPages() > limits.maxMemoryPages()) {
            throw new PipelineException(label + ": wasm module '" + id + "' declares " + module.initialPages()
                    + " initial memory pages, more than the limit of " + limits.maxMemoryPages() + " ("
                    + limits.maxMemoryPages() / 16 + " MiB)");
        }
        byte[] args = encodeArgs(spec.args(), label);
        WasmWorkers workers = WasmWorkers.SHARED;
        WasmStep step = new WasmStep(id, module, module.memoryLimits(limits.maxMemoryPages()), args, limits, workers,
                Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
        WasmInstance first;
        try {
            first = workers.call(step::instantiate, INSTANTIATE_TIMEOUT,
                    "instantiating took longer than " + INSTANTIATE_TIMEOUT.toMillis() + " ms");
        } catch (StepError e) {
            throw new PipelineException(label + ": wasm module '" + id + "' cannot be instantiated: "
                    + e.getMessage().replaceFirst("^wasm step failed: ", ""), e);
        }
        step.idle.offer(first);
        return step;
    }

    @Override
    public StepResult run(StepContext context) {
        Payload payload = context.payload();
        byte[] input = payload.bytes();
        WasmAnswer answer = workers.call(new Call(input), limits.timeout(), timeoutDetail);
        if (answer.outcome() == StepOutcome.ERROR) {
            throw new StepError(answer.detail());
        }
        byte[] output = answer.payload();
        if (output != null && !Arrays.equals(output, input)) {
            payload.replace(output);
        }
        return StepResult.of(answer.outcome() == StepOutcome.TRUE);
    }

    /** The module's id, as the pipeline names it. */
    public String moduleId() {
        return moduleId;
    }

    /** "compiler" or "interpreter": how the module runs. */
    public String engine() {
        return module.engine();
    }

    private WasmInstance instantiate() {
        return module.instantiate(memory);
    }

    /** One record's run on a worker thread: borrow an instance, call it, give it back if it is still sound. */
    private final class Call implements Callable<WasmAnswer> {
        private final byte[] input;

        Call(byte[] input) {
            this.input = input;
        }

        @Override
        public WasmAnswer call() {
            WasmInstance instance = idle.poll();
            boolean sound = false;
            try {
                if (instance == null) {
                    instance = instantiate();
                }
                WasmAnswer answer = instance.process(input, args);
                sound = true;
                return answer;
            } catch (ChicoryInterruptedException e) {
                return WasmAnswer.error(timeoutDetail);
            } catch (StackOverflowError e) {
                return WasmAnswer.error("wasm trap: call stack exhausted");
            } catch (RuntimeException e) {
                return WasmAnswer.error(WasmErrors.trap(e));
            } finally {
                if (sound && instance.keep()) {
                    idle.offer(instance);
                }
            }
        }
    }

    private static byte[] encodeArgs(Map<String, String> args, String label) {
        try {
            return Payload.MAPPER.writeValueAsBytes(args == null ? Map.of() : args);
        } catch (JsonProcessingException e) {
            throw new PipelineException(label + ": wasm.args cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
