package dev.sluice.broker.internal;

import java.time.Duration;

/**
 * Settings of the group coordinator, Kafka's {@code group.*} and {@code offsets.*} broker configs.
 *
 * @param initialRebalanceDelayMs         how long the first rebalance of an empty group waits for more members
 *                                        ({@code group.initial.rebalance.delay.ms}); 0 here, where Kafka has 3 s,
 *                                        so a lone consumer starts at once
 * @param minSessionTimeoutMs             smallest session timeout a member may ask for
 * @param maxSessionTimeoutMs             largest session timeout a member may ask for
 * @param offsetsRetentionMs              how long offsets outlive their group becoming empty (or their last commit,
 *                                        for groups without members)
 * @param offsetsRetentionCheckIntervalMs how often expired offsets are looked for
 * @param offsetMetadataMaxBytes          longest metadata string a commit may carry
 */
record GroupSettings(int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                     long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs, int offsetMetadataMaxBytes) {

    GroupSettings {
        if (initialRebalanceDelayMs < 0 || minSessionTimeoutMs <= 0 || maxSessionTimeoutMs < minSessionTimeoutMs
                || offsetsRetentionMs <= 0 || offsetsRetentionCheckIntervalMs <= 0 || offsetMetadataMaxBytes < 0) {
            throw new IllegalArgumentException("invalid group settings " + this);
        }
    }

    /** Kafka's defaults, except for the initial rebalance delay. */
    static GroupSettings defaults() {
        return new GroupSettings(0, 6_000, 1_800_000, Duration.ofDays(7).toMillis(),
                Duration.ofMinutes(10).toMillis(), 4096);
    }

    GroupSettings withInitialRebalanceDelayMs(int value) {
        return new GroupSettings(value, minSessionTimeoutMs, maxSessionTimeoutMs, offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes);
    }
}
