package dev.sluice.log;

/**
 * When appended bytes are forced to stable storage, and therefore when an append completes.
 */
public enum FlushPolicy {
    /**
     * Every append completes only after an fsync that covers it; one fsync covers every batch appended while the
     * previous one ran (group commit). Readers see only durable batches. The default.
     */
    ALWAYS,
    /** Appends complete once written to the page cache; a background task forces the log every flush interval. */
    INTERVAL,
    /** Appends complete once written to the page cache; the OS decides when to write back (and segment rolls). */
    NONE;

    /** Parses {@code always}, {@code interval} or {@code none}, ignoring case. */
    public static FlushPolicy parse(String value) {
        for (FlushPolicy policy : values()) {
            if (policy.name().equalsIgnoreCase(value.trim())) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown flush policy '" + value + "', accepted: always, interval, none");
    }
}
