package dev.sluice.pipelines.internal;

import dev.sluice.pipelines.StepOutcome;

/** A step's answer and, for errors and some falses, why. The plain answers are shared constants. */
public record StepResult(StepOutcome outcome, String detail) {
    public static final StepResult TRUE = new StepResult(StepOutcome.TRUE, null);
    public static final StepResult FALSE = new StepResult(StepOutcome.FALSE, null);

    public static StepResult of(boolean answer) {
        return answer ? TRUE : FALSE;
    }

    public static StepResult falseBecause(String detail) {
        return new StepResult(StepOutcome.FALSE, detail);
    }

    public static StepResult error(String detail) {
        return new StepResult(StepOutcome.ERROR, detail);
    }
}
