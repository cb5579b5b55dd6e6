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

    /** A topic config as DescribeConfigs reports it. */
    record Described(String name, String value, boolean isDefault, byte type) {
    }

    /** Kafka's defaults for the configs that are accepted but not acted on, with their types. */
    private static final Map<String, String[]> ACCEPTED_DEFAULTS = Map.ofEntries(
            Map.entry("compression.type", new String[] {"producer", "STRING"}),
            Map.entry("min.insync.replicas", new String[] {"1", "INT"}),
            Map.entry("message.timestamp.type", new String[] {"CreateTime", "STRING"}),
            Map.entry("unclean.leader.election.enable", new String[] {"false", "BOOLEAN"}),
            Map.entry("min.cleanable.dirty.ratio", new String[] {"0.5", "DOUBLE"}),
            Map.entry("min.compaction.lag.ms", new String[] {"0", "LONG"}),
            Map.entry("max.compaction.lag.ms", new String[] {"9223372036854775807", "LONG"}),
            Map.entry("file.delete.delay.ms", new String[] {"60000", "LONG"}),
            Map.entry("flush.messages", new String[] {"9223372036854775807", "LONG"}),
            Map.entry("flush.ms", new String[] {"9223372036854775807", "LONG"}),
            Map.entry("preallocate", new String[] {"false", "BOOLEAN"}),
            Map.entry("segment.jitter.ms", new String[] {"0", "LONG"}),
            Map.entry("message.downconversion.enable", new String[] {"true", "BOOLEAN"}));

    private TopicConfigs() {
    }

    /** Every topic config with its effective value: set on the topic, else the broker's default. Sorted by name. */
    static java.util.List<Described> describe(LogConfig defaults, Map<String, String> set) {
        Map<String, String[]> all = new java.util.TreeMap<>();
        all.put("cleanup.policy", new String[] {defaults.cleanupPolicy().kafkaName(), "LIST"});
        all.put("retention.ms", new String[] {Long.toString(defaults.retentionMs()), "LONG"});
        all.put("retention.bytes", new String[] {Long.toString(defaults.retentionBytes()), "LONG"});
        all.put("segment.bytes", new String[] {Integer.toString(defaults.segmentBytes()), "INT"});
        all.put("segment.ms", new String[] {Long.toString(defaults.segmentMs()), "LONG"});
        all.put("segment.index.bytes", new String[] {Integer.toString(defaults.maxIndexBytes()), "INT"});
        all.put("index.interval.bytes", new String[] {Integer.toString(defaults.indexIntervalBytes()), "INT"});
        all.put("max.message.bytes", new String[] {Integer.toString(defaults.maxBatchBytes()), "INT"});
        all.put("delete.retention.ms", new String[] {Long.toString(defaults.deleteRetentionMs()), "LONG"});
        all.putAll(ACCEPTED_DEFAULTS);
        java.util.List<Described> described = new java.util.ArrayList<>();
        for (Map.Entry<String, String[]> entry : all.entrySet()) {
            String value = set.get(entry.getKey());
            byte type = typeId(entry.getValue()[1]);
            described.add(new Described(entry.getKey(), value != null ? value : entry.getValue()[0], value == null,
                    type));
        }
        for (Map.Entry<String, String> entry : set.entrySet()) {
            if (!all.containsKey(entry.getKey())) {
                described.add(new Described(entry.getKey(), entry.getValue(), false, typeId("STRING")));
            }
        }
        return described;
    }

    /** The wire id of a config type, as DescribeConfigs v3 reports it. */
    private static byte typeId(String type) {
        return switch (type) {
            case "BOOLEAN" -> 1;
            case "STRING" -> 2;
            case "INT" -> 3;
            case "LONG" -> 5;
            case "DOUBLE" -> 6;
            case "LIST" -> 7;
            default -> 0;
        };
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
