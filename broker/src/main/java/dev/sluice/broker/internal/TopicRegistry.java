package dev.sluice.broker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics the broker serves, with their ids, partition counts and configs. The registry is itself a log: every
 * change is a record (key {@code topic/<name>}, a JSON value, or a tombstone for a deletion) in the
 * {@link MetadataLog}, appended durably before it takes effect and replayed at start.
 *
 * <p>Thread-safe: changes are serialised, lookups read a concurrent map.
 */
final class TopicRegistry {
    private static final String KEY_PREFIX = "topic/";
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A topic: its stable id, partition count and the configs set on it. */
    record Topic(String name, Uuid id, int partitions, Map<String, String> configs) {
    }

    private record Stored(String id, int partitions, Map<String, String> configs) {
    }

    private final LogManager logs;
    private final LogConfig defaults;
    private final MetadataLog metadata;
    private final Map<String, Topic> byName = new ConcurrentHashMap<>();
    private final Map<Uuid, Topic> byId = new ConcurrentHashMap<>();
    private final java.util.List<java.util.function.Consumer<String>> deletionListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    TopicRegistry(LogManager logs, LogConfig defaults, MetadataLog metadata) {
        this.logs = logs;
        this.defaults = defaults;
        this.metadata = metadata;
    }

    /** Applies a replayed metadata record if it is about a topic. */
    void replayed(String key, String value) {
        if (key.startsWith(KEY_PREFIX)) {
            apply(key, value);
        }
    }

    /** After replay: opens every topic's partitions with the topic's configs. */
    void openPartitions() {
        for (Topic topic : byName.values()) {
            LogConfig config = TopicConfigs.logConfig(defaults, topic.configs());
            for (int p = 0; p < topic.partitions(); p++) {
                logs.createPartition(new TopicPartition(topic.name(), p), config).reconfigure(config);
            }
        }
    }

    private void apply(String key, String value) {
        String name = key.substring(KEY_PREFIX.length());
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

    /**
     * Replaces a topic's configs (AlterConfigs, and IncrementalAlterConfigs after it has applied its operations):
     * validated, recorded durably, then applied to every partition log.
     */
    public synchronized Topic alterConfigs(String name, Map<String, String> configs, boolean validateOnly) {
        Topic topic = byName.get(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("topic '" + name + "' does not exist");
        }
        LogConfig config = TopicConfigs.logConfig(defaults, configs);
        if (validateOnly) {
            return topic;
        }
        record(name, new Stored(topic.id().toString(), topic.partitions(), new TreeMap<>(configs)));
        for (int p = 0; p < topic.partitions(); p++) {
            logs.partition(new TopicPartition(name, p)).ifPresent(log -> log.reconfigure(config));
        }
        return byName.get(name);
    }

    /** Grows a topic to {@code total} partitions (CreatePartitions); partitions never shrink. */
    public synchronized Topic addPartitions(String name, int total, boolean validateOnly) {
        Topic topic = byName.get(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("topic '" + name + "' does not exist");
        }
        if (total <= topic.partitions()) {
            throw new InvalidPartitionsException("topic '" + name + "' has " + topic.partitions()
                    + " partitions; the new count " + total + " must be larger");
        }
        if (validateOnly) {
            return topic;
        }
        record(name, new Stored(topic.id().toString(), total, new TreeMap<>(topic.configs())));
        LogConfig config = TopicConfigs.logConfig(defaults, topic.configs());
        for (int p = topic.partitions(); p < total; p++) {
            logs.createPartition(new TopicPartition(name, p), config);
        }
        return byName.get(name);
    }

    /** Calls {@code listener} with the name of every topic deleted from now on. */
    void onDelete(java.util.function.Consumer<String> listener) {
        deletionListeners.add(listener);
    }

    /** The broker's defaults, which topics' configs override. */
    public LogConfig defaults() {
        return defaults;
    }

    /** Deletes a topic: the tombstone is durable before its logs are removed. */
    public synchronized Topic delete(String name) {
        Topic topic = byName.get(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("topic '" + name + "' does not exist");
        }
        record(name, null);
        logs.deleteTopic(name);
        for (java.util.function.Consumer<String> listener : deletionListeners) {
            listener.accept(name);
        }
        return topic;
    }

    private void record(String name, Stored value) {
        String key = KEY_PREFIX + name;
        String json;
        try {
            json = value == null ? null : JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        metadata.write(key, json);
        apply(key, json);
    }

    /** Thrown for a config a topic cannot have. */
    static InvalidConfigurationException invalidConfig(String key, String value, String accepted) {
        return new InvalidConfigurationException("invalid value '" + value + "' for " + key + ": " + accepted);
    }
}
