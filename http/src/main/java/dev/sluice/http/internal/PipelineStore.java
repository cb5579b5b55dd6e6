package dev.sluice.http.internal;

import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.PipelineCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
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
    private KafkaConsumer<byte[], byte[]> follower;
    private Thread thread;
    private volatile boolean running = true;

    PipelineStore(KafkaGateway kafka) {
        this.kafka = kafka;
    }

    PipelineCatalog catalog() {
        return catalog;
    }

    /** Creates the topic if needed, reads it to its end and starts following it. Blocking. */
    void load() throws InterruptedException, ExecutionException {
        try {
            kafka.admin().createTopics(List.of(new NewTopic(PipelineCatalog.TOPIC, 1, (short) 1).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.RETENTION_MS_CONFIG, "-1",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_RECORD_BYTES))))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        follower = kafka.newConsumer();
        follower.assign(List.of(TP));
        follower.seekToBeginning(List.of(TP));
        long end = follower.endOffsets(List.of(TP)).get(TP);
        while (follower.position(TP) < end) {
            poll();
        }
        thread = Thread.ofVirtual().name("pipeline-store").start(this::follow);
    }

    private void follow() {
        try {
            while (running) {
                poll();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("following {} failed; pipelines shown here no longer change", PipelineCatalog.TOPIC, e);
            }
        }
    }

    private void poll() {
        for (ConsumerRecord<byte[], byte[]> record : follower.poll(Duration.ofMillis(500))) {
            if (record.key() != null) {
                apply(new String(record.key(), StandardCharsets.UTF_8), record.value(), record.offset());
            }
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
        running = false;
        if (follower == null) {
            return;
        }
        follower.wakeup();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        follower.close(Duration.ZERO);
    }
}
