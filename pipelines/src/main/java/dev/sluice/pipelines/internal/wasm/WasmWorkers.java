package dev.sluice.pipelines.internal.wasm;

import dev.sluice.pipelines.internal.StepError;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads wasm runs on when its code cannot check a {@link WasmDeadline} (interpreted functions, or a Chicory
 * whose generated code {@link DeadlineRewriter} does not recognise), so that a record over its time limit can still
 * be stopped.
 *
 * <p>Chicory 1.7.5 has no fuel or instruction budget: short of the deadline rewrite, the only way to stop running
 * wasm is to interrupt its thread, which compiled code and the interpreter check on every backward jump and call.
 * Records arrive on the broker's Netty event loops, and interrupting one of those is not an option (an interrupt
 * during a FileChannel operation closes the channel), so the caller hands the call to one of these threads and waits
 * with a timeout; on timeout it cancels the task, which interrupts only the worker. {@link ThreadPoolExecutor} clears
 * a worker's interrupt before its next task, and {@code FutureTask} makes sure a late cancel cannot interrupt a later
 * task.
 *
 * <p>The hand-off costs two thread wake-ups: about 5 µs per record on an idle 2-core machine, 10 to 25 µs on a busy
 * one. There are twice as many workers as cores (at least 4), so the broker's event loops rarely queue; idle workers
 * exit after a minute.
 */
final class WasmWorkers {
    static final WasmWorkers SHARED = new WasmWorkers(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

    private final ThreadPoolExecutor executor;

    WasmWorkers(int threads) {
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "sluice-wasm-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code call} on a worker and waits at most {@code timeout} for it.
     *
     * @throws StepError when the time is up (the worker is interrupted), the call failed, or this thread was
     *                   interrupted while waiting (its interrupt status is kept)
     */
    <T> T call(Callable<T> call, Duration timeout, String timeoutDetail) {
        Future<T> future;
        try {
            future = executor.submit(call);
        } catch (RejectedExecutionException e) {
            throw new StepError("no wasm worker accepted the record: " + e.getMessage());
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StepError(timeoutDetail);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StepError("interrupted while waiting for the wasm step");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new StepError("wasm step failed: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
    }
}
