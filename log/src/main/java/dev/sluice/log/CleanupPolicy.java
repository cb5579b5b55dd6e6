package dev.sluice.log;

/** What the log does with old data, as Kafka's {@code cleanup.policy}. */
public enum CleanupPolicy {
    /** Whole segments are deleted by retention time and size. */
    DELETE("delete"),
    /** Only the latest record per key is kept; tombstones are removed after {@code delete.retention.ms}. */
    COMPACT("compact"),
    /** Both: compacted, and old segments deleted by retention. */
    COMPACT_DELETE("compact,delete");

    private final String kafkaName;

    CleanupPolicy(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    public boolean compacts() {
        return this != DELETE;
    }

    public boolean deletes() {
        return this != COMPACT;
    }

    /** The value as Kafka spells it in topic configs. */
    public String kafkaName() {
        return kafkaName;
    }

    /** Parses Kafka's spelling: {@code delete}, {@code compact}, or both separated by a comma in any order. */
    public static CleanupPolicy parse(String value) {
        String normalized = value.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        return switch (normalized) {
            case "delete" -> DELETE;
            case "compact" -> COMPACT;
            case "compact,delete", "delete,compact" -> COMPACT_DELETE;
            default -> throw new IllegalArgumentException(
                    "unknown cleanup policy '" + value + "', accepted: delete, compact, compact,delete");
        };
    }
}
