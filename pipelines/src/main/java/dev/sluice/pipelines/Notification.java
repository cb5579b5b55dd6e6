package dev.sluice.pipelines;

/** A step's condition asked for a notification: published on the ops topic, and to the webhook when it has one. */
public record Notification(String pipeline, int version, String step, StepOutcome outcome, String detail,
                           String webhook) {
}
