package dev.sluice.pipelines;

/** A pipeline definition that cannot run: the message names the step and the field that is wrong. */
public final class PipelineException extends RuntimeException {
    public PipelineException(String message) {
        super(message);
    }

    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
