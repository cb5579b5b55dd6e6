package dev.sluice.pipelines.internal;

/**
 * A compiled step. Runs on the thread that processes the record (a broker event loop, a client's thread), so it must
 * not block; it may be called from several threads at once, so it keeps no per-record state of its own (that lives
 * in the {@link StepContext}). A step may throw {@link StepError} (or any runtime exception) for an error answer.
 */
@FunctionalInterface
public interface Step {
    StepResult run(StepContext context);
}
