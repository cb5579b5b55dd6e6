package dev.sluice.http.internal;

import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.PipelineCatalog;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipelines, audiences and wasm modules as the HTTP component sees them: records of {@value PipelineCatalog#TOPIC}
 * (written here, followed by the broker and by this store's background consumer) materialised in a
 * {@link PipelineCatalog}, so every read is local and dry runs compile exactly what the broker compiles.
 *
 * <p>Thread-safe. Changes are serialised: each reads the catalog, decides, writes one record and waits until it is
 * durable; a change is visible here as soon as it is. The follower never puts back an older record of a key.
 */
final class PipelineStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineStore.class);
    private static final TopicPartition TP = new TopicPartition(PipelineCatalog.TOPIC, 0);
    /** Modules and pipelines are small, but a wasm module can pass Kafka's default 1 MiB record limit. */
    static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private final KafkaGateway kafka;
    private final PipelineCatalog catalog = new PipelineCatalog();
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();
    private final ReentrantLock changes = new ReentrantLock();
    private final TopicFollower follower;

    PipelineStore(KafkaGateway kafka) {
        this.kafka = kafka;
        this.follower = new TopicFollower(kafka, List.of(TP), "pipeline-store", this::apply);
    }

    PipelineCatalog catalog() {
        return catalog;
    }

    /** Creates the topic if needed, reads it to its end and starts following it. Blocking. */
    void load() throws InterruptedException, ExecutionException {
        Map<String, String> configs = new HashMap<>(KafkaGateway.COMPACTED_FOREVER);
        configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_RECORD_BYTES));
        kafka.ensureTopic(PipelineCatalog.TOPIC, configs);
        follower.start();
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() != null) {
            apply(new String(record.key(), StandardCharsets.UTF_8), record.value(), record.offset());
        }
    }

    private void apply(String key, byte[] value, long offset) {
        offsets.compute(key, (k, last) -> {
            if (last != null && last > offset) {
                return last;
            }
            if (!catalog.apply(key, value)) {
                LOG.warn("skipped unreadable record '{}' at offset {} of {}", key, offset, PipelineCatalog.TOPIC);
            }
            return offset;
        });
    }

    /**
     * Writes one record of the catalog after {@code decide} (run under the change lock, so it sees every earlier
     * change) returned its value; null deletes the key. Blocking until durable; 4xx from {@code decide} pass on.
     */
    <T> T change(String key, Function<PipelineCatalog, Write<T>> decide) {
        changes.lock();
        try {
            Write<T> write = decide.apply(catalog);
            long offset = kafka.producer().send(new ProducerRecord<>(PipelineCatalog.TOPIC, 0,
                    key.getBytes(StandardCharsets.UTF_8), write.value())).get().offset();
            apply(key, write.value(), offset);
            return write.result();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted", "interrupted while saving '" + key + "'");
        } catch (ExecutionException e) {
            throw ApiError.from(e);
        } finally {
            changes.unlock();
        }
    }

    /** What a change writes (null: a tombstone) and what it answers. */
    record Write<T>(byte[] value, T result) {
    }

    /** The audiences a pipeline is attached to. */
    List<AudienceSpec> attachedTo(String pipelineId) {
        return catalog.audiences().stream().filter(a -> a.pipelines().contains(pipelineId)).toList();
    }

    @Override
    public void close() {
        follower.close();
    }
}
