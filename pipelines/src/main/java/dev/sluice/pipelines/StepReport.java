package dev.sluice.pipelines;

/** One step's answer in a traced run (the dry-run endpoint shows these), with the payload after it. */
public record StepReport(String pipeline, String step, StepOutcome outcome, String detail, String then,
                         String payloadAfter) {
}
