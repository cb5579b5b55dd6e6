package dev.sluice.pipelines;

/** What becomes of a record after its pipelines ran. */
public enum Verdict {
    /** Written or delivered, possibly changed. */
    PASS,
    /** Neither written nor delivered. */
    DROP,
    /** Written to the dead-letter topic instead. */
    DEAD_LETTER
}
