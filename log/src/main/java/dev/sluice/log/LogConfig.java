package dev.sluice.log;

import java.time.Duration;

/**
 * Settings of one partition log. Immutable; derive variants with {@link #toBuilder()}.
 *
 * <pre>{@code
 * LogConfig config = LogConfig.builder().segmentBytes(64 << 20).flushPolicy(FlushPolicy.ALWAYS).build();
 * }</pre>
 *
 * @param segmentBytes       roll the active segment when it would grow past this size (Kafka's {@code segment.bytes})
 * @param segmentMs          roll the active segment when it is older than this (Kafka's {@code segment.ms})
 * @param maxBatchBytes      largest batch accepted by an append (Kafka's {@code max.message.bytes})
 * @param indexIntervalBytes bytes between two sparse index entries (Kafka's {@code index.interval.bytes})
 * @param maxIndexBytes      size an index file is preallocated to; a full index rolls the segment
 * @param flushPolicy        when appends are made durable, see {@link FlushPolicy}
 * @param flushIntervalMs    how often {@link FlushPolicy#INTERVAL} forces the log
 * @param retentionMs        delete segments whose newest record is older than this; negative keeps forever
 * @param retentionBytes     delete oldest segments while the log is larger than this; negative keeps all
 * @param cleanupPolicy      delete, compact or both
 * @param deleteRetentionMs  how long a tombstone survives compaction (Kafka's {@code delete.retention.ms})
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int maxBatchBytes,
        int indexIntervalBytes,
        int maxIndexBytes,
        FlushPolicy flushPolicy,
        long flushIntervalMs,
        long retentionMs,
        long retentionBytes,
        CleanupPolicy cleanupPolicy,
        long deleteRetentionMs) {

    /** Smallest segment size accepted: one largest header plus room to make progress. */
    public static final int MIN_SEGMENT_BYTES = 1024;

    public LogConfig {
        require(segmentBytes >= MIN_SEGMENT_BYTES, "segment.bytes", "at least " + MIN_SEGMENT_BYTES);
        require(segmentMs > 0, "segment.ms", "positive");
        require(maxBatchBytes > 0, "max.message.bytes", "positive");
        require(indexIntervalBytes >= 0, "index.interval.bytes", "zero or more");
        require(maxIndexBytes >= 4096, "segment.index.bytes", "at least 4096");
        require(flushPolicy != null, "flush", "one of always, interval, none");
        require(flushIntervalMs > 0, "flush.interval.ms", "positive");
        require(cleanupPolicy != null, "cleanup.policy", "delete, compact or compact,delete");
        require(deleteRetentionMs >= 0, "delete.retention.ms", "zero or more");
    }

    private static void require(boolean condition, String key, String accepted) {
        if (!condition) {
            throw new IllegalArgumentException("invalid value for " + key + ": must be " + accepted);
        }
    }

    public static LogConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .segmentBytes(segmentBytes)
                .segmentMs(segmentMs)
                .maxBatchBytes(maxBatchBytes)
                .indexIntervalBytes(indexIntervalBytes)
                .maxIndexBytes(maxIndexBytes)
                .flushPolicy(flushPolicy)
                .flushIntervalMs(flushIntervalMs)
                .retentionMs(retentionMs)
                .retentionBytes(retentionBytes)
                .cleanupPolicy(cleanupPolicy)
                .deleteRetentionMs(deleteRetentionMs);
    }

    /** Fluent builder with Kafka's defaults (except the flush policy, which is {@link FlushPolicy#ALWAYS}). */
    public static final class Builder {
        private int segmentBytes = 1 << 30;
        private long segmentMs = Duration.ofDays(7).toMillis();
        private int maxBatchBytes = 1_048_588;
        private int indexIntervalBytes = 4096;
        private int maxIndexBytes = 10 * 1024 * 1024;
        private FlushPolicy flushPolicy = FlushPolicy.ALWAYS;
        private long flushIntervalMs = 1000;
        private long retentionMs = Duration.ofDays(7).toMillis();
        private long retentionBytes = -1;
        private CleanupPolicy cleanupPolicy = CleanupPolicy.DELETE;
        private long deleteRetentionMs = Duration.ofDays(1).toMillis();

        private Builder() {
        }

        public Builder segmentBytes(int value) { this.segmentBytes = value; return this; }
        public Builder segmentMs(long value) { this.segmentMs = value; return this; }
        public Builder maxBatchBytes(int value) { this.maxBatchBytes = value; return this; }
        public Builder indexIntervalBytes(int value) { this.indexIntervalBytes = value; return this; }
        public Builder maxIndexBytes(int value) { this.maxIndexBytes = value; return this; }
        public Builder flushPolicy(FlushPolicy value) { this.flushPolicy = value; return this; }
        public Builder flushIntervalMs(long value) { this.flushIntervalMs = value; return this; }
        public Builder retentionMs(long value) { this.retentionMs = value; return this; }
        public Builder retentionBytes(long value) { this.retentionBytes = value; return this; }
        public Builder cleanupPolicy(CleanupPolicy value) { this.cleanupPolicy = value; return this; }
        public Builder deleteRetentionMs(long value) { this.deleteRetentionMs = value; return this; }

        public LogConfig build() {
            return new LogConfig(segmentBytes, segmentMs, maxBatchBytes, indexIntervalBytes, maxIndexBytes,
                    flushPolicy, flushIntervalMs, retentionMs, retentionBytes, cleanupPolicy, deleteRetentionMs);
        }
    }
}
