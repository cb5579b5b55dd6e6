package dev.sluice.broker.internal;

import dev.sluice.log.CleanupPolicy;
import dev.sluice.log.LogConfig;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * Kafka topic configs and how they map onto {@link LogConfig}. The configs the log honours are parsed and checked;
 * a set of other well-known Kafka topic configs is accepted and stored so tools that set them keep working.
 */
final class TopicConfigs {
    /** Topic configs Sluice accepts and reports but does not act on (single node, no tiered storage). */
    static final Set<String> ACCEPTED_ONLY = Set.of("compression.type", "min.insync.replicas",
            "message.timestamp.type", "message.timestamp.difference.max.ms", "message.downconversion.enable",
            "unclean.leader.election.enable", "min.cleanable.dirty.ratio", "min.compaction.lag.ms",
            "max.compaction.lag.ms", "file.delete.delay.ms", "flush.messages", "flush.ms", "preallocate",
            "follower.replication.throttled.replicas", "leader.replication.throttled.replicas",
            "local.retention.ms", "local.retention.bytes", "remote.storage.enable", "segment.jitter.ms",
            "message.timestamp.before.max.ms", "message.timestamp.after.max.ms");

    private TopicConfigs() {
    }

    static LogConfig logConfig(LogConfig defaults, Map<String, String> configs) {
        LogConfig.Builder builder = defaults.toBuilder();
        for (Map.Entry<String, String> entry : configs.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (value == null) {
                continue;
            }
            switch (key) {
                case "retention.ms" -> builder.retentionMs(parseLong(key, value));
                case "retention.bytes" -> builder.retentionBytes(parseLong(key, value));
                case "segment.bytes" -> builder.segmentBytes(parseInt(key, value));
                case "segment.ms" -> builder.segmentMs(parseLong(key, value));
                case "segment.index.bytes" -> builder.maxIndexBytes(parseInt(key, value));
                case "index.interval.bytes" -> builder.indexIntervalBytes(parseInt(key, value));
                case "max.message.bytes" -> builder.maxBatchBytes(parseInt(key, value));
                case "delete.retention.ms" -> builder.deleteRetentionMs(parseLong(key, value));
                case "cleanup.policy" -> {
                    try {
                        builder.cleanupPolicy(CleanupPolicy.parse(value));
                    } catch (IllegalArgumentException e) {
                        throw TopicRegistry.invalidConfig(key, value, "delete, compact or compact,delete");
                    }
                }
                default -> {
                    if (!ACCEPTED_ONLY.contains(key)) {
                        throw new InvalidConfigurationException("unknown topic config '" + key + "'");
                    }
                }
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw TopicRegistry.invalidConfig(key, value, "a whole number");
        }
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw TopicRegistry.invalidConfig(key, value, "a whole number up to " + Integer.MAX_VALUE);
        }
    }
}
