package dev.sluice.services.internal.engine;

import dev.sluice.services.RunRecord;
import dev.sluice.services.RunStatus;
import dev.sluice.services.ServiceTopics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The runs as {@value ServiceTopics#RUNS} records them: which run ids exist (so a redelivered event, whose run id is
 * the same, does not run twice) and, when the engine starts, which runs this node left unfinished. Writes go through
 * the engine's one producer, so the records of one run are stored in the order they were sent.
 *
 * <p>Thread-safe.
 */
final class RunLedger implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String node;
    private final Map<String, RunStatus> statuses = new ConcurrentHashMap<>();
    /** Filled only while loading: this node's runs without a final status, by id, in the order first seen. */
    private final Map<String, RunRecord> unfinished = new LinkedHashMap<>();
    private final TopicTail tail;
    private volatile boolean loading = true;

    RunLedger(Map<String, Object> kafka, KafkaProducer<byte[], byte[]> producer, String node) {
        this.producer = producer;
        this.node = node;
        this.tail = new TopicTail(kafka, ServiceTopics.RUNS, "runs", this::apply);
    }

    /** Reads the runs recorded so far; then follows what other processes record. */
    void load() {
        tail.start();
        loading = false;
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        String id = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            statuses.remove(id);
            return;
        }
        if (loading) {
            RunRecord run = RunRecord.fromBytes(record.value());
            statuses.put(id, run.run().status());
            if (!run.run().status().isFinal() && node.equals(run.node())) {
                unfinished.put(id, run);
            } else {
                unfinished.remove(id);
            }
        } else {
            // Only whether the id exists matters from here on; the status is read without the rest of the record.
            statuses.putIfAbsent(id, RunStatus.QUEUED);
        }
    }

    /** The runs this node had started or queued but not finished when it last stopped. */
    List<RunRecord> unfinishedRuns() {
        return new ArrayList<>(unfinished.values());
    }

    /** Takes a run id for a new run: false when a run with this id exists (a redelivered event). */
    boolean claim(String runId) {
        return statuses.putIfAbsent(runId, RunStatus.QUEUED) == null;
    }

    /** Records a run's current state; the future completes when it is durable. */
    CompletableFuture<Void> write(RunRecord run) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(ServiceTopics.RUNS, 0, run.run().id().getBytes(StandardCharsets.UTF_8),
                run.toBytes()), (metadata, error) -> {
                    if (error != null) {
                        done.completeExceptionally(error);
                    } else {
                        done.complete(null);
                    }
                });
        return done;
    }

    int size() {
        return statuses.size();
    }

    @Override
    public void close() {
        tail.close();
    }
}
