package dev.sluice.broker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.log.CleanupPolicy;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import dev.sluice.log.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * The topics the broker serves, with their ids, partition counts and configs. The registry is itself a log: every
 * change is a record (key {@code topic/<name>}, a JSON value, or a tombstone for a deletion) in the compacted
 * internal topic {@value #METADATA_TOPIC}, appended durably before it takes effect and replayed at start.
 *
 * <p>Thread-safe: changes are serialised, lookups read a concurrent map.
 */
public final class TopicRegistry {
    public static final String METADATA_TOPIC = "__sluice_metadata";
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A topic: its stable id, partition count and the configs set on it. */
    public record Topic(String name, Uuid id, int partitions, Map<String, String> configs) {
    }

    private record Stored(String id, int partitions, Map<String, String> configs) {
    }

    private final LogManager logs;
    private final LogConfig defaults;
    private final PartitionLog metadata;
    private final Map<String, Topic> byName = new ConcurrentHashMap<>();
    private final Map<Uuid, Topic> byId = new ConcurrentHashMap<>();

    public TopicRegistry(LogManager logs, LogConfig defaults) {
        this.logs = logs;
        this.defaults = defaults;
        this.metadata = logs.createPartition(new TopicPartition(METADATA_TOPIC, 0),
                defaults.toBuilder().cleanupPolicy(CleanupPolicy.COMPACT).retentionMs(-1).retentionBytes(-1)
                        .segmentBytes(16 * 1024 * 1024).build());
        replay();
    }

    private void replay() {
        long offset = metadata.logStartOffset();
        while (offset < metadata.highWatermark()) {
            ByteBuffer bytes;
            try {
                bytes = metadata.read(offset, 1 << 20).records().read();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + METADATA_TOPIC, e);
            }
            long next = offset;
            for (RecordBatch batch : MemoryRecords.readableRecords(bytes).batches()) {
                for (Record record : batch) {
                    if (record.offset() >= offset) {
                        apply(string(record.key()), record.hasValue() ? string(record.value()) : null);
                    }
                }
                next = batch.lastOffset() + 1;
            }
            if (next == offset) {
                break;
            }
            offset = next;
        }
        for (Topic topic : byName.values()) {
            LogConfig config = TopicConfigs.logConfig(defaults, topic.configs());
            for (int p = 0; p < topic.partitions(); p++) {
                logs.createPartition(new TopicPartition(topic.name(), p), config).reconfigure(config);
            }
        }
    }

    private void apply(String key, String value) {
        String name = key.substring("topic/".length());
        Topic old = byName.remove(name);
        if (old != null) {
            byId.remove(old.id());
        }
        if (value != null) {
            try {
                Stored stored = JSON.readValue(value, Stored.class);
                Topic topic = new Topic(name, Uuid.fromString(stored.id()), stored.partitions(),
                        Map.copyOf(stored.configs()));
                byName.put(name, topic);
                byId.put(topic.id(), topic);
            } catch (IOException e) {
                throw new UncheckedIOException("corrupt metadata record for topic " + name, e);
            }
        }
    }

    public Optional<Topic> topic(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<Topic> topic(Uuid id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<Topic> topics() {
        return List.copyOf(new TreeMap<>(byName).values());
    }

    /** Checks a new topic's name, partitions and configs; throws the Kafka error a client should see. */
    public LogConfig validate(String name, int partitions, Map<String, String> configs) {
        if (name == null || !LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new InvalidTopicException("topic name '" + name + "' is illegal: use 1 to 249 of a-z A-Z 0-9 . _ -");
        }
        if (name.startsWith("__sluice")) {
            throw new InvalidTopicException("topic names starting with __sluice are reserved");
        }
        if (partitions <= 0) {
            throw new InvalidPartitionsException("number of partitions must be positive, got " + partitions);
        }
        return TopicConfigs.logConfig(defaults, configs);
    }

    /** Creates a topic durably: recorded in the metadata log first, then its partition logs are created. */
    public synchronized Topic create(String name, int partitions, Map<String, String> configs) {
        LogConfig config = validate(name, partitions, configs);
        if (byName.containsKey(name)) {
            throw new TopicExistsException("topic '" + name + "' already exists");
        }
        Topic topic = new Topic(name, Uuid.randomUuid(), partitions, Map.copyOf(configs));
        record(name, new Stored(topic.id().toString(), partitions, new TreeMap<>(configs)));
        for (int p = 0; p < partitions; p++) {
            logs.createPartition(new TopicPartition(name, p), config);
        }
        return topic;
    }

    /** Deletes a topic: the tombstone is durable before its logs are removed. */
    public synchronized Topic delete(String name) {
        Topic topic = byName.get(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("topic '" + name + "' does not exist");
        }
        record(name, null);
        logs.deleteTopic(name);
        return topic;
    }

    private void record(String name, Stored value) {
        String key = "topic/" + name;
        String json;
        try {
            json = value == null ? null : JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer batch = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(System.currentTimeMillis(),
                key.getBytes(StandardCharsets.UTF_8),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8))).buffer();
        metadata.append(batch).join();
        apply(key, json);
    }

    private static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Thrown for a config a topic cannot have. */
    static InvalidConfigurationException invalidConfig(String key, String value, String accepted) {
        return new InvalidConfigurationException("invalid value '" + value + "' for " + key + ": " + accepted);
    }
}
