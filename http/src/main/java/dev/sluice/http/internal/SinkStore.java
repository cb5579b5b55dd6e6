package dev.sluice.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.sinks.SinkEngine;
import dev.sluice.sinks.SinkSpec;
import dev.sluice.sinks.SinkSpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sinks as the HTTP component sees them, without calling a {@link SinkEngine} (it may run in another process):
 * definitions are records of {@value SinkEngine#TOPIC} (written here, followed by the engines), statuses are records
 * of {@value SinkEngine#STATUS_TOPIC} (written by the engine running the sink). One background consumer follows
 * both and keeps them in maps, so every read is local.
 *
 * <p>Thread-safe. Changes are serialised; a change is visible here as soon as it is durable in the topic (the
 * follower never puts back an older record of a key: each key remembers the offset it was last set from).
 */
final class SinkStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkStore.class);
    private static final ObjectMapper READER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TopicPartition SPECS = new TopicPartition(SinkEngine.TOPIC, 0);
    private static final TopicPartition STATUS = new TopicPartition(SinkEngine.STATUS_TOPIC, 0);

    /** A definition and the offset of {@value SinkEngine#TOPIC} it comes from. */
    record Entry(SinkSpec spec, long offset) {
    }

    private final KafkaGateway kafka;
    private final Map<String, Entry> specs = new ConcurrentHashMap<>();
    /** The offset each name was last set (or deleted) from, so an older record never overrides a newer one. */
    private final Map<String, Long> specOffsets = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> statuses = new ConcurrentHashMap<>();
    private final ReentrantLock changes = new ReentrantLock();
    private final TopicFollower follower;

    SinkStore(KafkaGateway kafka) {
        this.kafka = kafka;
        this.follower = new TopicFollower(kafka, List.of(SPECS, STATUS), "sink-store", this::apply);
    }

    /** Creates the topics if needed, reads both to their end and starts following them. Blocking. */
    void load() throws InterruptedException, ExecutionException {
        kafka.ensureTopic(SinkEngine.TOPIC, KafkaGateway.COMPACTED_FOREVER);
        kafka.ensureTopic(SinkEngine.STATUS_TOPIC, KafkaGateway.COMPACTED_FOREVER);
        follower.start();
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        String name = new String(record.key(), StandardCharsets.UTF_8);
        if (record.topic().equals(SinkEngine.TOPIC)) {
            applySpec(name, record.value(), record.offset());
        } else {
            applyStatus(name, record.value());
        }
    }

    private void applySpec(String name, byte[] value, long offset) {
        SinkSpec spec = null;
        if (value != null) {
            try {
                spec = READER.readValue(value, SinkSpec.class);
            } catch (IOException e) {
                LOG.error("unreadable sink record '{}' in {}", name, SinkEngine.TOPIC, e);
                return;
            }
        }
        SinkSpec read = spec;
        specOffsets.compute(name, (key, last) -> {
            if (last != null && last > offset) {
                return last;
            }
            if (read == null) {
                specs.remove(name);
                statuses.remove(name);
            } else {
                specs.put(name, new Entry(read, offset));
            }
            return offset;
        });
    }

    private void applyStatus(String name, byte[] value) {
        if (value == null) {
            statuses.remove(name);
            return;
        }
        try {
            if (READER.readTree(value) instanceof ObjectNode status) {
                statuses.put(name, status);
            }
        } catch (IOException e) {
            LOG.warn("unreadable sink status '{}' in {}: {}", name, SinkEngine.STATUS_TOPIC, e.toString());
        }
    }

    Optional<SinkSpec> get(String name) {
        return Optional.ofNullable(specs.get(name)).map(Entry::spec);
    }

    Collection<Entry> all() {
        return specs.values();
    }

    /** The status an engine last published for the sink, or empty until one has. */
    Optional<ObjectNode> status(String name) {
        return Optional.ofNullable(statuses.get(name));
    }

    /** Checks and creates a sink; 400 naming the field, 409 when the name is taken. Blocking until durable. */
    SinkSpec create(SinkSpec spec) {
        check(spec);
        return change(spec.name(), existing -> {
            if (existing != null) {
                throw ApiError.conflict("sink_exists", "sink '" + spec.name() + "' already exists");
            }
            return spec;
        });
    }

    /** Replaces a sink with what {@code update} makes of it (checked); 404 when there is none. */
    SinkSpec update(String name, UnaryOperator<SinkSpec> update) {
        return change(name, existing -> {
            if (existing == null) {
                throw notFound(name);
            }
            SinkSpec next = update.apply(existing);
            check(next);
            return next;
        });
    }

    void delete(String name) {
        change(name, existing -> {
            if (existing == null) {
                throw notFound(name);
            }
            return null;
        });
    }

    static ApiError notFound(String name) {
        return ApiError.notFound("sink_not_found", "sink '" + name + "' does not exist");
    }

    static void check(SinkSpec spec) {
        try {
            spec.check();
        } catch (SinkSpecException e) {
            throw new ApiError(400, "invalid_sink", e.getMessage());
        }
    }

    private SinkSpec change(String name, UnaryOperator<SinkSpec> change) {
        changes.lock();
        try {
            SinkSpec next = change.apply(get(name).orElse(null));
            byte[] key = name.getBytes(StandardCharsets.UTF_8);
            byte[] value = next == null ? null : Json.MAPPER.writeValueAsBytes(next);
            long offset = kafka.producer().send(new ProducerRecord<>(SinkEngine.TOPIC, 0, key, value)).get()
                    .offset();
            applySpec(name, value, offset);
            return next;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted", "interrupted while saving sink '" + name + "'");
        } catch (ExecutionException e) {
            throw ApiError.from(e);
        } finally {
            changes.unlock();
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
