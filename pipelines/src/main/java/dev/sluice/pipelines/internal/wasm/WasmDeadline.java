package dev.sluice.pipelines.internal.wasm;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Time limits for wasm that runs on the caller's own thread, without interrupting it: an epoch check in the manner
 * of wasmtime's epoch interruption.
 *
 * <p>Chicory's compiled code calls a {@code checkInterruption()} helper on every backward jump and every call;
 * {@link DeadlineRewriter} makes that helper call {@link #check()} instead of reading the thread's interrupt status.
 * The fast path is one volatile read of a flag that is false unless some call is past its deadline. A watchdog
 * thread wakes at the earliest deadline (at least every {@value #TICK_MILLIS} ms while calls run; parked when none
 * do), marks the calls past theirs and raises the flag; the marked call's next check throws
 * {@link DeadlineExceeded}, which unwinds out of the wasm frames. Other calls that see the flag look at their own mark
 * (a thread-local read) and carry on. So a time limit costs a read per loop iteration and two set operations per
 * record, and no thread is ever interrupted.
 *
 * <p>Public only because the generated classes, which live in Chicory's class loader, call {@link #check()}.
 */
public final class WasmDeadline {
    static final long TICK_MILLIS = 10;

    private static final Set<Running> RUNNING = ConcurrentHashMap.newKeySet();
    private static final ThreadLocal<Running> CURRENT = new ThreadLocal<>();
    private static volatile boolean anyOverdue;
    private static volatile boolean watchdogParked;
    private static final Thread WATCHDOG = Thread.ofPlatform().daemon().name("sluice-wasm-deadline")
            .unstarted(WasmDeadline::watch);

    static {
        WATCHDOG.start();
    }

    private WasmDeadline() {
    }

    /** Called by the rewritten wasm code at every backward jump and call. */
    public static void check() {
        if (anyOverdue) {
            checkCurrent();
        }
    }

    private static void checkCurrent() {
        Running running = CURRENT.get();
        if (running != null && running.overdue) {
            throw new DeadlineExceeded();
        }
    }

    /** Starts timing a call on this thread; {@link #exit} must follow, in a finally. */
    static Running enter(Duration timeout) {
        Running running = new Running(System.nanoTime() + timeout.toNanos(), CURRENT.get());
        CURRENT.set(running);
        RUNNING.add(running);
        if (watchdogParked) {
            LockSupport.unpark(WATCHDOG);
        }
        return running;
    }

    static void exit(Running running) {
        RUNNING.remove(running);
        if (running.previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(running.previous);
        }
        if (running.overdue) {
            // The watchdog raises the flag again on its next tick if another call is still overdue.
            anyOverdue = false;
        }
    }

    private static void watch() {
        while (true) {
            if (RUNNING.isEmpty()) {
                watchdogParked = true;
                if (RUNNING.isEmpty()) {
                    LockSupport.park(WasmDeadline.class);
                }
                watchdogParked = false;
                continue;
            }
            long now = System.nanoTime();
            long wake = now + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
            boolean overdue = false;
            for (Running running : RUNNING) {
                if (now - running.deadline >= 0) {
                    running.overdue = true;
                    overdue = true;
                } else if (running.deadline - wake < 0) {
                    wake = running.deadline;
                }
            }
            if (overdue) {
                anyOverdue = true;
            }
            LockSupport.parkNanos(WasmDeadline.class, wake - now);
        }
    }

    /** One timed call. */
    static final class Running {
        private final long deadline;
        private final Running previous;
        private volatile boolean overdue;

        private Running(long deadline, Running previous) {
            this.deadline = deadline;
            this.previous = previous;
        }
    }

    /** Thrown inside wasm code that ran past its deadline. No stack trace: it is an answer, not a bug. */
    static final class DeadlineExceeded extends RuntimeException {
        DeadlineExceeded() {
            super("wasm call exceeded its deadline", null, false, false);
        }
    }
}
