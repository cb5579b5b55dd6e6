package dev.sluice.broker.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.log.CleanupPolicy;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import dev.sluice.log.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * Committed offsets and group metadata as keyed JSON records in the compacted internal topic {@value #TOPIC}:
 * {@code offset/<group>/<topic>/<partition>} holds a {@link CommittedOffset}, {@code group/<group>} a
 * {@link StoredGroup}; a null value (tombstone) deletes the key. Compaction keeps the latest value of each key, and
 * replaying the topic at start rebuilds every group.
 *
 * <p>Group ids may contain any character, topic names never a '/', so an offset key is split from its right end.
 *
 * <p>Thread-safe; callers that need their records in a given order append them in that order.
 */
final class GroupStore {
    static final String TOPIC = "__sluice_groups";
    private static final String OFFSET_PREFIX = "offset/";
    private static final String GROUP_PREFIX = "group/";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One keyed record; a null value deletes the key. */
    record Entry(String key, byte[] value) {
    }

    /** A member as recorded: its metadata is the subscription for the group's chosen protocol only. */
    record StoredMember(String memberId, String groupInstanceId, String clientId, String clientHost,
                        int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {
    }

    /** A group's membership as of its last stable generation, or as it became empty. */
    record StoredGroup(String protocolType, int generation, String protocolName, String leader,
                       long stateTimestampMs, List<StoredMember> members) {
    }

    /** Receives the replayed records in log order. */
    interface Replay {
        /** An offset was committed, or deleted when {@code offset} is null. */
        void offset(String groupId, TopicPartition partition, CommittedOffset offset);

        /** A group's metadata was recorded, or the group deleted when {@code group} is null. */
        void group(String groupId, StoredGroup group);
    }

    private final PartitionLog log;

    GroupStore(LogManager logs, LogConfig defaults) {
        // Larger batches than topics get: a big group's metadata (every member's subscription and assignment) is one
        // record, and an OffsetCommit is one batch.
        LogConfig config = defaults.toBuilder().cleanupPolicy(CleanupPolicy.COMPACT).retentionMs(-1)
                .retentionBytes(-1).segmentBytes(64 * 1024 * 1024).maxBatchBytes(16 * 1024 * 1024).build();
        this.log = logs.createPartition(new TopicPartition(TOPIC, 0), config);
        // A log found on disk at start was opened with the defaults: it must not fall to time retention.
        log.reconfigure(config);
    }

    static Entry offset(String groupId, TopicPartition partition, CommittedOffset offset) {
        return new Entry(OFFSET_PREFIX + groupId + "/" + partition.topic() + "/" + partition.partition(),
                offset == null ? null : json(offset));
    }

    static Entry group(String groupId, StoredGroup group) {
        return new Entry(GROUP_PREFIX + groupId, group == null ? null : json(group));
    }

    /** Appends the entries as one batch; completes once they are durable. */
    CompletableFuture<Void> write(List<Entry> entries) {
        if (entries.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long now = System.currentTimeMillis();
        SimpleRecord[] records = new SimpleRecord[entries.size()];
        for (int i = 0; i < records.length; i++) {
            Entry entry = entries.get(i);
            records[i] = new SimpleRecord(now, entry.key().getBytes(StandardCharsets.UTF_8), entry.value());
        }
        ByteBuffer batch = MemoryRecords.withRecords(Compression.NONE, records).buffer();
        return log.append(batch).thenApply(result -> null);
    }

    /** The error a client should see when a write failed. */
    static Errors clientError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return switch (Errors.forException(cause)) {
            case RECORD_LIST_TOO_LARGE, MESSAGE_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.INVALID_COMMIT_OFFSET_SIZE;
            // Retriable for clients: the disk may come back, or the broker restart.
            default -> Errors.COORDINATOR_NOT_AVAILABLE;
        };
    }

    /** Feeds every record, in log order, to {@code sink}. */
    void replay(Replay sink) {
        LogRecords.forEach(log, record -> {
            if (record.hasKey()) {
                apply(sink, string(record.key()), record.hasValue() ? bytes(record.value()) : null);
            }
        });
    }

    private static void apply(Replay sink, String key, byte[] value) {
        try {
            if (key.startsWith(OFFSET_PREFIX)) {
                int partitionAt = key.lastIndexOf('/');
                int topicAt = key.lastIndexOf('/', partitionAt - 1);
                String groupId = key.substring(OFFSET_PREFIX.length(), topicAt);
                TopicPartition partition = new TopicPartition(key.substring(topicAt + 1, partitionAt),
                        Integer.parseInt(key.substring(partitionAt + 1)));
                sink.offset(groupId, partition, value == null ? null : JSON.readValue(value, CommittedOffset.class));
            } else if (key.startsWith(GROUP_PREFIX)) {
                String groupId = key.substring(GROUP_PREFIX.length());
                sink.group(groupId, value == null ? null : JSON.readValue(value, StoredGroup.class));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("corrupt record '" + key + "' in " + TOPIC, e);
        }
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String string(ByteBuffer buffer) {
        return new String(bytes(buffer), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
