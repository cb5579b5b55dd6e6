package dev.sluice.http.internal;

import dev.sluice.services.ServiceCatalog;
import dev.sluice.services.ServiceException;
import dev.sluice.services.ServiceTopics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Services, triggers and sealed secrets as the HTTP component sees them: records of {@value ServiceTopics#CATALOG}
 * (written here, followed by the services engines and by this store's background consumer) materialised in a
 * {@link ServiceCatalog}, so every read is local.
 *
 * <p>Thread-safe. Changes are serialised: each reads the catalog, decides, writes its records and waits until they
 * are durable; a change is visible here as soon as it is. The follower never puts back an older record of a key.
 */
final class ServiceStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceStore.class);
    private static final TopicPartition TP = new TopicPartition(ServiceTopics.CATALOG, 0);

    private final KafkaGateway kafka;
    private final ServiceCatalog catalog = new ServiceCatalog();
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();
    private final ReentrantLock changes = new ReentrantLock();
    private final TopicFollower follower;
    private volatile boolean eventsTopicExists;

    ServiceStore(KafkaGateway kafka) {
        this.kafka = kafka;
        this.follower = new TopicFollower(kafka, List.of(TP), "service-store", this::apply);
    }

    ServiceCatalog catalog() {
        return catalog;
    }

    /** Creates the catalog topic if needed, reads it to its end and starts following it. Blocking. */
    void load() {
        kafka.ensureTopic(ServiceTopics.CATALOG, ServiceTopics.CATALOG_CONFIGS);
        follower.start();
    }

    /**
     * Creates {@value ServiceTopics#EVENTS}, where manual runs and {@code POST /v1/events} go by default, on first use
     * (with the broker's defaults, as the services engine creates it), so a node that runs no services has no such
     * topic.
     */
    CompletableFuture<Void> ensureEventsTopic() {
        if (eventsTopicExists) {
            return CompletableFuture.completedFuture(null);
        }
        return kafka.blocking(() -> {
            kafka.ensureTopic(ServiceTopics.EVENTS);
            eventsTopicExists = true;
            return null;
        });
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() != null) {
            apply(new String(record.key(), StandardCharsets.UTF_8), record.value(), record.offset());
        }
    }

    private void apply(String key, byte[] value, long offset) {
        offsets.compute(key, (k, last) -> {
            // A record this store wrote is applied once it is durable, so the follower skips it (a deployed version
            // is a package to decode and unzip again).
            if (last != null && last >= offset) {
                return last;
            }
            try {
                catalog.apply(key, value);
            } catch (ServiceException e) {
                LOG.warn("skipped unreadable record '{}' at offset {} of {}: {}", key, offset, ServiceTopics.CATALOG,
                        e.getMessage());
            }
            return offset;
        });
    }

    /**
     * Writes the records {@code decide} (run under the change lock, so it sees every earlier change) returns, in
     * order, and applies each here once durable. Blocking; 4xx from {@code decide} pass on.
     */
    <T> T change(Function<ServiceCatalog, Change<T>> decide) {
        changes.lock();
        try {
            Change<T> change = decide.apply(catalog);
            List<Future<RecordMetadata>> acks = new ArrayList<>(change.writes().size());
            for (Write write : change.writes()) {
                acks.add(kafka.producer().send(new ProducerRecord<>(ServiceTopics.CATALOG, 0,
                        write.key().getBytes(StandardCharsets.UTF_8), write.value())));
            }
            for (int i = 0; i < acks.size(); i++) {
                Write write = change.writes().get(i);
                apply(write.key(), write.value(), acks.get(i).get().offset());
            }
            return change.result();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted", "interrupted while saving to " + ServiceTopics.CATALOG);
        } catch (ExecutionException e) {
            throw ApiError.from(e);
        } finally {
            changes.unlock();
        }
    }

    /** One record of the catalog: a key of {@link ServiceCatalog} and its value, null deleting the key. */
    record Write(String key, byte[] value) {
    }

    /** What a change writes and what it answers. */
    record Change<T>(List<Write> writes, T result) {
        static <T> Change<T> of(String key, byte[] value, T result) {
            return new Change<>(List.of(new Write(key, value)), result);
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
