package dev.sluice.sinks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.sinks.internal.LocalStaging;
import dev.sluice.sinks.internal.SinkMeters;
import dev.sluice.sinks.internal.SinkWriter;
import dev.sluice.sinks.internal.Targets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a node's sinks. Sinks are records of the compacted topic {@value #TOPIC} (key: name, value: the
 * {@link SinkSpec} as JSON, a tombstone when deleted); the engine follows that topic and starts, restarts and stops
 * one {@code SinkWriter} per sink to match it, so a definition is durable before it runs and another node could
 * follow the same topic.
 *
 * <pre>{@code
 * try (SinkEngine engine = SinkEngine.start(SinkEngineConfig.of(Map.of("bootstrap.servers", servers), dataDir))) {
 *     engine.create(new SinkSpec("orders", List.of("orders"), mapping, TargetSpec.duckDb(null, "orders")));
 *     engine.status("orders");
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SinkEngine implements AutoCloseable {
    public static final String TOPIC = "_sluice_sinks";
    /** Where the engine publishes each sink's {@link SinkStatus} (key: name, a tombstone once it is deleted). */
    public static final String STATUS_TOPIC = "_sluice_sink_status";
    /**
     * How often a changed status (counters, lag) is published at the latest; a change of the sink's state or of a
     * file's or slice's state is published within 200 ms.
     */
    static final long PUBLISH_EVERY_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(SinkEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final SinkEngineConfig config;
    private final Staging staging;
    private final Map<String, SinkSpec> specs = new ConcurrentHashMap<>();
    private final Map<String, SinkWriter> writers = new ConcurrentHashMap<>();
    /** Each sink's meters, from its first definition until it is deleted (they outlive its writers). */
    private final Map<String, SinkMeters> meters = new ConcurrentHashMap<>();
    /** What earlier writers of a sink reported (their counters carry on), and sinks that could not start. */
    private final Map<String, SinkStatus> earlier = new ConcurrentHashMap<>();
    private final Map<String, String> startFailures = new ConcurrentHashMap<>();
    private final Map<String, SinkStatus> published = new java.util.HashMap<>();
    private final Map<String, Long> publishedAt = new java.util.HashMap<>();
    private final Thread publisher;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> follower;
    private final Thread thread;
    private final Object applied = new Object();
    private long appliedUpTo = -1;
    private volatile boolean running = true;

    private SinkEngine(SinkEngineConfig config) throws IOException, ExecutionException, InterruptedException {
        this.config = config;
        this.staging = new LocalStaging(config.dataDir().resolve("sinks").resolve("staging"));
        try (Admin admin = Admin.create(config.kafka())) {
            for (String topic : List.of(TOPIC, STATUS_TOPIC)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.RETENTION_MS_CONFIG, "-1")))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        Map<String, Object> producerConfig = new java.util.HashMap<>(config.kafka());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        this.follower = new KafkaConsumer<>(config.kafka(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        follower.assign(List.of(PARTITION));
        follower.seekToBeginning(List.of(PARTITION));
        long end = follower.endOffsets(List.of(PARTITION)).get(PARTITION);
        this.thread = Thread.ofPlatform().name("sink-engine").start(this::follow);
        awaitApplied(end - 1, "reading " + TOPIC);
        this.publisher = Thread.ofPlatform().daemon().name("sink-status").start(this::publishStatus);
    }

    /**
     * Publishes each sink's status to {@value #STATUS_TOPIC}: at once when its state changes, otherwise every
     * {@value #PUBLISH_EVERY_MS} ms if anything in it changed (nothing is sent for an idle sink), and a tombstone
     * when the sink is gone. One thread for all sinks; a snapshot is a few small lists.
     */
    private void publishStatus() {
        while (running) {
            try {
                long now = System.currentTimeMillis();
                for (String name : specs.keySet()) {
                    SinkStatus status = status(name).orElse(null);
                    if (status == null) {
                        continue;
                    }
                    SinkStatus last = published.get(name);
                    // A file or slice moving on (writing → closing → ... → imported) changes its item; items
                    // change only then, so every transition reaches the topic within a pass of this loop.
                    boolean stateChanged = last == null || !last.state().equals(status.state())
                            || !java.util.Objects.equals(last.lastError(), status.lastError())
                            || !last.files().equals(status.files()) || !last.slices().equals(status.slices());
                    if (stateChanged || (now - publishedAt.getOrDefault(name, 0L) >= PUBLISH_EVERY_MS
                            && !status.equals(last))) {
                        var node = JSON.valueToTree(status);
                        ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("reportedAt", now);
                        producer.send(new ProducerRecord<>(STATUS_TOPIC, 0, name.getBytes(StandardCharsets.UTF_8),
                                JSON.writeValueAsBytes(node)));
                        published.put(name, status);
                        publishedAt.put(name, now);
                    }
                }
                for (var it = published.keySet().iterator(); it.hasNext(); ) {
                    String name = it.next();
                    if (!specs.containsKey(name)) {
                        producer.send(new ProducerRecord<>(STATUS_TOPIC, 0, name.getBytes(StandardCharsets.UTF_8),
                                null));
                        it.remove();
                        publishedAt.remove(name);
                    }
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (running) {
                    LOG.warn("publishing sink status to {} failed: {}", STATUS_TOPIC, e.toString());
                }
            }
        }
    }

    /** Waits until the follower has applied the record at {@code offset}. */
    private void awaitApplied(long offset, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (applied) {
            while (appliedUpTo <= offset) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IllegalStateException(what + " did not finish within 30 s");
                }
                applied.wait(left);
            }
        }
    }

    /** Starts the engine: creates {@value #TOPIC} when missing and starts following it. */
    public static SinkEngine start(SinkEngineConfig config) {
        try {
            return new SinkEngine(config);
        } catch (IOException | ExecutionException e) {
            throw new IllegalStateException("starting the sink engine failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the sink engine", e);
        }
    }

    private void follow() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : follower.poll(Duration.ofMillis(200))) {
                    if (record.key() != null) {
                        apply(new String(record.key(), StandardCharsets.UTF_8), record.value());
                    }
                }
                long position = follower.position(PARTITION);
                synchronized (applied) {
                    appliedUpTo = position;
                    applied.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("following {} failed; sinks no longer change", TOPIC, e);
        }
    }

    private void apply(String name, byte[] value) {
        SinkSpec spec = null;
        if (value != null) {
            try {
                spec = JSON.readValue(value, SinkSpec.class);
            } catch (IOException e) {
                LOG.error("unreadable sink record '{}' in {}", name, TOPIC, e);
                return;
            }
        }
        SinkWriter running = writers.get(name);
        if (running != null) {
            running.close();
            SinkStatus last = status(name).orElse(null);
            writers.remove(name);
            if (last != null) {
                earlier.put(name, last);
            }
        }
        startFailures.remove(name);
        if (spec == null) {
            specs.remove(name);
            earlier.remove(name);
            SinkMeters gone = meters.remove(name);
            if (gone != null) {
                gone.close();
            }
            return;
        }
        specs.put(name, spec);
        SinkMeters sinkMeters = meters.computeIfAbsent(name, sink -> new SinkMeters(config.meters(), sink,
                () -> lag(sink), () -> localBytes(sink)));
        if (spec.pausedNow()) {
            return;
        }
        try {
            writers.put(name, new SinkWriter(spec, Targets.create(spec.target(), config.dataDir()), staging,
                    config.dataDir().resolve("sinks").resolve(name), config.kafka(), config.maxLocalBytes(),
                    sinkMeters));
        } catch (RuntimeException e) {
            LOG.error("sink {} cannot start", name, e);
            startFailures.put(name, e.toString());
        }
    }

    /**
     * Creates or replaces a sink after checking it (including its table when the target is reachable); returns once
     * the engine runs it.
     *
     * @throws SinkSpecException naming the field that is wrong
     */
    public SinkSpec create(SinkSpec spec) {
        spec.check();
        Target target = Targets.create(spec.target(), config.dataDir());
        try (target) {
            List<Target.Column> columns = new ArrayList<>();
            var mapping = spec.check();
            for (int i = 0; i < mapping.specs().size(); i++) {
                columns.add(new Target.Column(mapping.specs().get(i).name(), mapping.types().get(i)));
            }
            target.ensureTable(spec.target().table(), columns);
        } catch (java.sql.SQLException e) {
            // Unreachable now: the writer retries; the definition itself is fine.
            LOG.warn("sink {}: target not reachable at create: {}", spec.name(), e.getMessage());
        }
        write(spec.name(), spec);
        return spec;
    }

    public void delete(String name) {
        if (!specs.containsKey(name)) {
            throw new java.util.NoSuchElementException("sink '" + name + "' does not exist");
        }
        write(name, null);
    }

    public void pause(String name) {
        write(name, require(name).withPaused(true));
    }

    public void resume(String name) {
        write(name, require(name).withPaused(false));
    }

    private SinkSpec require(String name) {
        SinkSpec spec = specs.get(name);
        if (spec == null) {
            throw new java.util.NoSuchElementException("sink '" + name + "' does not exist");
        }
        return spec;
    }

    private void write(String name, SinkSpec spec) {
        try {
            byte[] value = spec == null ? null : JSON.writeValueAsBytes(spec);
            long offset = producer.send(new ProducerRecord<>(TOPIC, 0, name.getBytes(StandardCharsets.UTF_8),
                    value)).get(30, TimeUnit.SECONDS).offset();
            awaitApplied(offset, "applying sink '" + name + "'");
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("saving sink '" + name + "' failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving sink '" + name + "'", e);
        }
    }

    public List<SinkSpec> sinks() {
        return specs.values().stream().sorted(java.util.Comparator.comparing(SinkSpec::name)).toList();
    }

    public Optional<SinkSpec> sink(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    /**
     * The sink's status; a paused sink reports state {@code paused}. Counters and the recently imported files and
     * slices carry on across the writer restarts that pausing, resuming and changing a sink cause (in this engine's
     * lifetime; they start from zero when the engine starts).
     */
    public Optional<SinkStatus> status(String name) {
        SinkStatus before = earlier.get(name);
        SinkWriter writer = writers.get(name);
        if (writer != null) {
            return Optional.of(merge(before, writer.status()));
        }
        if (!specs.containsKey(name)) {
            return Optional.empty();
        }
        String failure = startFailures.get(name);
        String state = failure != null ? "failed" : "paused";
        if (before == null) {
            return Optional.of(new SinkStatus(name, state, 0, 0, 0, 0, failure, List.of(), List.of()));
        }
        return Optional.of(new SinkStatus(name, state, before.recordsWritten(), before.rowsImported(),
                before.deadLettered(), before.lag(), failure != null ? failure : before.lastError(),
                imported(before.files(), List.of()), imported(before.slices(), List.of())));
    }

    /** The running writer's lag, else what the last writer measured (a paused sink's lag is not measured). */
    private long lag(String name) {
        SinkWriter writer = writers.get(name);
        if (writer != null) {
            return writer.lag();
        }
        SinkStatus before = earlier.get(name);
        return before == null ? 0 : before.lag();
    }

    /** Unimported slices are discarded when a writer stops, so only a running writer has any. */
    private long localBytes(String name) {
        SinkWriter writer = writers.get(name);
        return writer == null ? 0 : writer.localBytes();
    }

    private static SinkStatus merge(SinkStatus before, SinkStatus now) {
        if (before == null) {
            return now;
        }
        // What the earlier writer had not imported was discarded and is derived again by this one.
        return new SinkStatus(now.name(), now.state(), before.rowsImported() + before.deadLettered()
                + now.recordsWritten(), before.rowsImported() + now.rowsImported(),
                before.deadLettered() + now.deadLettered(), now.lag(), now.lastError(),
                imported(before.files(), now.files()), imported(before.slices(), now.slices()));
    }

    /** {@code now} and, before them, the last of the imported items of {@code before} that {@code now} lacks. */
    private static List<SinkStatus.Item> imported(List<SinkStatus.Item> before, List<SinkStatus.Item> now) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        now.forEach(item -> ids.add(item.id()));
        List<SinkStatus.Item> kept = new ArrayList<>(before.stream()
                .filter(item -> item.state().equals("imported") && !ids.contains(item.id())).toList());
        int keep = Math.max(0, 20 - now.size());
        List<SinkStatus.Item> all = new ArrayList<>(kept.subList(Math.max(0, kept.size() - keep), kept.size()));
        all.addAll(now);
        return all;
    }

    /** Stops following and every writer; unimported slices are dropped and derived again at the next start. */
    @Override
    public void close() {
        running = false;
        publisher.interrupt();
        try {
            publisher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        follower.wakeup();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        follower.close();
        writers.values().forEach(SinkWriter::close);
        writers.clear();
        meters.values().forEach(SinkMeters::close);
        meters.clear();
        producer.close();
    }
}
