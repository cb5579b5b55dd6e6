package dev.sluice.server.internal;

/**
 * How a running {@code sluice start} (or a {@code sluice consume} following a topic) learns it must stop. The
 * process implementation is {@link JvmStopSignal} (Ctrl-C, SIGTERM); tests pass one that stops at once, so the start
 * command runs in-process.
 */
public interface StopSignal {

    /** Arranges for {@code stop} to run once when the process is told to stop; call before starting anything. */
    void onStop(Runnable stop);

    /** Blocks until the stop action has run. */
    void await() throws InterruptedException;
}
