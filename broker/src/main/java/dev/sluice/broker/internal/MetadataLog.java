package dev.sluice.broker.internal;

import dev.sluice.log.CleanupPolicy;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import dev.sluice.log.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * The broker's metadata as a log: keyed records (a JSON value, or null to delete the key) in the compacted internal
 * topic {@value #TOPIC}. Writers append durably before changing their state; at start every record is replayed.
 *
 * <p>Thread-safe; callers serialise their own read-modify-write sequences.
 */
final class MetadataLog {
    static final String TOPIC = "__sluice_metadata";

    private final PartitionLog log;

    MetadataLog(LogManager logs, LogConfig defaults) {
        LogConfig config = defaults.toBuilder().cleanupPolicy(CleanupPolicy.COMPACT).retentionMs(-1)
                .retentionBytes(-1).segmentBytes(16 * 1024 * 1024).build();
        this.log = logs.createPartition(new TopicPartition(TOPIC, 0), config);
        // A log that already existed was opened with the manager's defaults (delete, 7 days): metadata must never
        // be deleted by retention, so the compacted settings are applied every time.
        log.reconfigure(config);
    }

    /** The settings the metadata log runs with. */
    LogConfig config() {
        return log.config();
    }

    /** Calls {@code apply} with every key and value (null for a deletion) in log order. */
    void replay(BiConsumer<String, String> apply) {
        LogRecords.forEach(log, record -> {
            if (record.hasKey()) {
                apply.accept(string(record.key()), record.hasValue() ? string(record.value()) : null);
            }
        });
    }

    /** Appends a record and waits until it is durable. */
    void write(String key, String value) {
        ByteBuffer batch = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(System.currentTimeMillis(),
                key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8))).buffer();
        log.append(batch).join();
    }

    private static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
