package dev.sluice.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The HTTP sources, kept as records in the compacted topic {@value #TOPIC} (key: the source's name, value: its JSON,
 * a tombstone when deleted) and materialised in memory: metadata is a log, so sources survive restarts and another
 * node could follow the same topic. A change is in memory only once it is durable in the topic.
 *
 * <p>Thread-safe. Changes are serialised (they are rare); lookups on the ingestion path are lock-free.
 */
final class SourceStore {
    static final String TOPIC = "_sluice_sources";

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = Json.MAPPER;

    private final KafkaGateway kafka;
    private final Map<String, Source> sources = new ConcurrentHashMap<>();
    private final ReentrantLock changes = new ReentrantLock();
    private volatile boolean loaded;

    SourceStore(KafkaGateway kafka) {
        this.kafka = kafka;
    }

    /** Creates the topic if needed and reads it to its end. Blocking. */
    void load() throws InterruptedException, ExecutionException {
        kafka.ensureTopic(TOPIC, KafkaGateway.COMPACTED_FOREVER);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.newConsumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record.key(), record.value());
                }
            }
        }
        loaded = true;
    }

    boolean loaded() {
        return loaded;
    }

    private void apply(byte[] key, byte[] value) {
        if (key == null) {
            return;
        }
        String name = new String(key, StandardCharsets.UTF_8);
        if (value == null) {
            sources.remove(name);
            return;
        }
        try {
            sources.put(name, MAPPER.readValue(value, Source.class));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable source record '" + name + "' in " + TOPIC, e);
        }
    }

    Optional<Source> get(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    Collection<Source> all() {
        return sources.values();
    }

    /** Creates a source; a 409 when the name is taken. Blocking until durable. */
    Source create(Source source) {
        return change(source.name(), existing -> {
            if (existing != null) {
                throw ApiError.conflict("source_exists", "source '" + source.name() + "' already exists");
            }
            return source;
        });
    }

    /**
     * Replaces a source with what {@code update} makes of it; a 404 when there is none. Blocking until durable.
     */
    Source update(String name, UnaryOperator<Source> update) {
        return change(name, existing -> {
            if (existing == null) {
                throw ApiError.notFound("source_not_found", "source '" + name + "' does not exist");
            }
            return update.apply(existing);
        });
    }

    void delete(String name) {
        change(name, existing -> {
            if (existing == null) {
                throw ApiError.notFound("source_not_found", "source '" + name + "' does not exist");
            }
            return null;
        });
    }

    private Source change(String name, UnaryOperator<Source> change) {
        changes.lock();
        try {
            Source next = change.apply(sources.get(name));
            byte[] value = next == null ? null : MAPPER.writeValueAsBytes(next);
            kafka.producer().send(new ProducerRecord<>(TOPIC, 0, name.getBytes(StandardCharsets.UTF_8), value))
                    .get();
            apply(name.getBytes(StandardCharsets.UTF_8), value);
            return next;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted", "interrupted while saving source '" + name + "'");
        } catch (ExecutionException e) {
            throw ApiError.from(e);
        } finally {
            changes.unlock();
        }
    }
}
