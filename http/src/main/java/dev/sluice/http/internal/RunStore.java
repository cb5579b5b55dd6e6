package dev.sluice.http.internal;

import dev.sluice.services.Run;
import dev.sluice.services.RunRecord;
import dev.sluice.services.RunStatus;
import dev.sluice.services.ServiceException;
import dev.sluice.services.ServiceTopics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs as the HTTP component sees them: records of {@value ServiceTopics#RUNS}, written by the services engines.
 * A record holds a run's logs and events and may be megabytes, so only a {@link Summary} per run stays in memory,
 * with the offset of the run's latest record; a run is read whole by seeking a consumer to that offset.
 *
 * <p>Thread-safe.
 */
final class RunStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunStore.class);
    private static final TopicPartition TP = new TopicPartition(ServiceTopics.RUNS, 0);
    /** How long a read may scan for a run whose record compaction moved on. */
    private static final Duration READ_BUDGET = Duration.ofSeconds(10);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    /**
     * What lists and filters need of a run.
     *
     * @param offset    where the run's latest record is in {@value ServiceTopics#RUNS}
     * @param writtenAt the record's timestamp, to forget runs the topic's retention deletes
     */
    record Summary(String id, String service, String version, String trigger, RunStatus status, Instant queued,
                   Instant started, Instant finished, String error, int attempts, String correlationId, String node,
                   long offset, Instant writtenAt) {
        static Summary of(RunRecord record, long offset, Instant writtenAt) {
            Run run = record.run();
            return new Summary(run.id(), run.service(), run.version(), record.trigger(), run.status(), run.queued(),
                    run.started(), run.finished(), run.error(), run.attempts().size(), run.correlationId(),
                    record.node(), offset, writtenAt);
        }
    }

    private final KafkaGateway kafka;
    private final Clock clock;
    private final Duration retention;
    private final Map<String, Summary> runs = new ConcurrentHashMap<>();
    private final TopicFollower follower;
    private volatile Instant prunedAt = Instant.EPOCH;

    RunStore(KafkaGateway kafka, Clock clock) {
        this.kafka = kafka;
        this.clock = clock;
        this.retention = Duration.ofMillis(Long.parseLong(ServiceTopics.RUNS_CONFIGS.get(
                TopicConfig.RETENTION_MS_CONFIG)));
        this.follower = new TopicFollower(kafka, List.of(TP), "run-store", this::apply);
    }

    /** Creates the topic if needed, reads it to its end and starts following it. Blocking. */
    void load() {
        kafka.ensureTopic(ServiceTopics.RUNS, ServiceTopics.RUNS_CONFIGS);
        follower.start();
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        String id = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            runs.remove(id);
            return;
        }
        try {
            // Records arrive in offset order and only from the topic, so the latest record of a run always wins.
            runs.put(id, Summary.of(RunRecord.fromBytes(record.value()), record.offset(),
                    Instant.ofEpochMilli(record.timestamp())));
        } catch (ServiceException e) {
            LOG.warn("skipped unreadable run '{}' at offset {} of {}: {}", id, record.offset(), ServiceTopics.RUNS,
                    e.getMessage());
        }
        pruneNowAndThen();
    }

    /**
     * Forgets runs whose last record is older than the topic's retention: the log deletes them without tombstones,
     * so nothing else would.
     */
    private void pruneNowAndThen() {
        Instant now = clock.instant();
        if (Duration.between(prunedAt, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        prunedAt = now;
        Instant horizon = now.minus(retention);
        runs.values().removeIf(run -> run.writtenAt().isBefore(horizon));
    }

    Collection<Summary> all() {
        return runs.values();
    }

    /** The whole run, read back from the topic; empty when there is no such run (or it expired). Blocking. */
    Optional<RunRecord> read(String id) {
        Summary summary = runs.get(id);
        if (summary == null) {
            return Optional.empty();
        }
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        KafkaConsumer<byte[], byte[]> consumer = kafka.borrowConsumer();
        try {
            consumer.assign(List.of(TP));
            if (summary.offset() < consumer.beginningOffsets(List.of(TP)).get(TP)) {
                runs.remove(id, summary);
                return Optional.empty();
            }
            long end = consumer.endOffsets(List.of(TP)).get(TP);
            consumer.seek(TP, summary.offset());
            // Compaction may have removed this record for a newer one of the same run, further on.
            long deadline = System.nanoTime() + READ_BUDGET.toNanos();
            while (consumer.position(TP) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)).records(TP)) {
                    if (java.util.Arrays.equals(record.key(), key)) {
                        return record.value() == null ? Optional.empty()
                                : Optional.of(RunRecord.fromBytes(record.value()));
                    }
                }
            }
            if (consumer.position(TP) < end) {
                throw new ApiError(503, "broker_unavailable", "reading run '" + id + "' took too long");
            }
            return Optional.empty();
        } finally {
            kafka.release(consumer);
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
