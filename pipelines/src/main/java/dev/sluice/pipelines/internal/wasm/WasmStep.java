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

/**
 * A custom WebAssembly step (ABI in the module README). Each record runs on an instance borrowed from the step's
 * pool: instantiating costs about 40 µs, a call on a warm instance well under one, so instances are reused, and the
 * ABI has modules start their heap over on each {@code alloc}. An instance that trapped, timed out or grew its memory
 * is dropped, never reused.
 *
 * <p>Where it runs: on the caller's thread under a {@link WasmDeadline} when the module's compiled code checks
 * deadlines (the usual case), else on a {@linkplain WasmWorkers wasm worker} that is interrupted on timeout. Either
 * way the caller gets the answer or the time-out error within the limit, and its thread is never interrupted.
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
        return compile(id, module, spec.args(), label, limits);
    }

    static WasmStep compile(String id, CompiledWasmModule module, Map<String, String> args, String label,
                            WasmLimits limits) {
        if (module.initialPages() > limits.maxMemoryPages()) {
            throw new PipelineException(label + ": wasm module '" + id + "' declares " + module.initialPages()
                    + " initial memory pages, more than the limit of " + limits.maxMemoryPages() + " ("
                    + limits.maxMemoryPages() / 16 + " MiB)");
        }
        WasmStep step = new WasmStep(id, module, module.memoryLimits(limits.maxMemoryPages()), encodeArgs(args, label),
                limits, WasmWorkers.SHARED, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
        step.idle.offer(step.firstInstance(label));
        return step;
    }

    @Override
    public StepResult run(StepContext context) {
        Payload payload = context.payload();
        byte[] input = payload.bytes();
        WasmAnswer answer = module.deadlineChecks()
                ? runHere(input)
                : workers.call(() -> runOnInstance(input), limits.timeout(), timeoutDetail);
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

    /** Whether records run on wasm workers (a module without deadline checks) rather than the caller's thread. */
    public boolean runsOnWorkers() {
        return !module.deadlineChecks();
    }

    private WasmAnswer runHere(byte[] input) {
        WasmDeadline.Running deadline = WasmDeadline.enter(limits.timeout());
        try {
            return runOnInstance(input);
        } finally {
            WasmDeadline.exit(deadline);
        }
    }

    /** One record: borrow an instance (or make one), call it, give it back if it is still sound. */
    private WasmAnswer runOnInstance(byte[] input) {
        WasmInstance instance = idle.poll();
        boolean sound = false;
        try {
            if (instance == null) {
                instance = module.instantiate(memory);
            }
            WasmAnswer answer = instance.process(input, args);
            sound = true;
            return answer;
        } catch (WasmDeadline.DeadlineExceeded e) {
            return WasmAnswer.error(timeoutDetail);
        } catch (ChicoryInterruptedException e) {
            // On a worker, the caller's timeout cancelled the task; on the caller's thread, someone else interrupted
            // it (and the interrupt status stays set for them).
            return WasmAnswer.error(module.deadlineChecks() ? "wasm step interrupted" : timeoutDetail);
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

    /**
     * The instance compiling checks the module with: its start function (if any) runs now, under a time limit.
     *
     * @throws PipelineException when it cannot be instantiated
     */
    private WasmInstance firstInstance(String label) {
        String where = label + ": wasm module '" + moduleId + "' cannot be instantiated: ";
        String slow = "instantiating took longer than " + INSTANTIATE_TIMEOUT.toMillis() + " ms";
        try {
            if (!module.deadlineChecks()) {
                return workers.call(() -> module.instantiate(memory), INSTANTIATE_TIMEOUT, slow);
            }
            WasmDeadline.Running deadline = WasmDeadline.enter(INSTANTIATE_TIMEOUT);
            try {
                return module.instantiate(memory);
            } finally {
                WasmDeadline.exit(deadline);
            }
        } catch (WasmDeadline.DeadlineExceeded e) {
            throw new PipelineException(where + slow, e);
        } catch (StepError e) {
            throw new PipelineException(where + e.getMessage().replaceFirst("^wasm step failed: ", ""), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new PipelineException(where + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
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
