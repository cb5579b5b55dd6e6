package dev.sluice.pipelines;

/** What a step answered. */
public enum StepOutcome { TRUE, FALSE, ERROR }
