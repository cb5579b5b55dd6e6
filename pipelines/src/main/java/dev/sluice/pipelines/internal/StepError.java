package dev.sluice.pipelines.internal;

/** Thrown by a step to answer "error" with a message; cheap (no stack trace). */
public final class StepError extends RuntimeException {
    public StepError(String message) {
        super(message, null, false, false);
    }
}
