package dev.sluice.log;

import org.apache.kafka.common.TopicPartition;

/**
 * Hears what the log engine does that an operator wants to measure, so the engine stays free of any metrics library:
 * the broker turns these calls into meters.
 *
 * <pre>{@code
 * LogObserver observer = (partition, nanos, failed) -> fsyncTimer.record(nanos, TimeUnit.NANOSECONDS);
 * try (LogManager logs = LogManager.open(dir, LogConfig.defaults(), observer)) { ... }
 * }</pre>
 *
 * <p>Called on the engine's own threads (a partition's group committer, the maintenance thread), concurrently for
 * different partitions: an implementation must be thread-safe, quick, and must not block. What it throws is ignored.
 */
@FunctionalInterface
public interface LogObserver {

    /** Observes nothing. */
    LogObserver NONE = (partition, nanos, failed) -> { };

    /**
     * A partition's written data was forced to disk: by its group committer under {@link FlushPolicy#ALWAYS}, or by
     * an interval flush under {@link FlushPolicy#INTERVAL}. The forces of a segment roll are not reported.
     *
     * @param partition the partition whose active segment was forced
     * @param nanos     how long the force took
     * @param failed    whether it failed; the partition then stops taking appends
     */
    void fsynced(TopicPartition partition, long nanos, boolean failed);
}
