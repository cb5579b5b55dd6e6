package dev.sluice.pipelines;

/**
 * A pipeline definition that cannot run: the message names the step and the field that is wrong, and
 * {@link #stepIndex()} and {@link #stepName()} say which step, for a form to point at it.
 */
public final class PipelineException extends RuntimeException {
    private final int stepIndex;
    private final String stepName;

    public PipelineException(String message) {
        this(message, null);
    }

    public PipelineException(String message, Throwable cause) {
        this(message, cause, -1, null);
    }

    private PipelineException(String message, Throwable cause, int stepIndex, String stepName) {
        super(message, cause);
        this.stepIndex = stepIndex;
        this.stepName = stepName;
    }

    /** This error as one of step {@code index} (named {@code name}, or null); unchanged if it already has a step. */
    public PipelineException atStep(int index, String name) {
        if (stepIndex >= 0) {
            return this;
        }
        PipelineException located = new PipelineException(getMessage(), getCause(), index, name);
        located.setStackTrace(getStackTrace());
        return located;
    }

    /** The index of the step that is wrong (from 0), or -1 when the error is not one step's. */
    public int stepIndex() {
        return stepIndex;
    }

    /** The name of the step that is wrong; null when it has none or the error is not one step's. */
    public String stepName() {
        return stepName;
    }
}
