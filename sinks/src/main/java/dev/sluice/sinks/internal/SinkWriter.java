package dev.sluice.sinks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.mapping.Mapping;
import dev.sluice.mapping.MappingException;
import dev.sluice.mapping.MappingInput;
import dev.sluice.sinks.SinkSpec;
import dev.sluice.sinks.SinkStatus;
import dev.sluice.sinks.Staging;
import dev.sluice.sinks.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's writer: a member of consumer group {@code sluice-sink-<name>} that maps each record to a row, writes rows
 * into compressed CSV slices under its work directory, closes slices and files by the sink's conditions, stages the
 * slices and hands closed files to its {@link Importer}.
 *
 * <p>Exactly once: the target is the source of truth. On assignment each partition is paused until the target's
 * {@code _sluice_imports} says where to start (its highest imported offset + 1; the group's committed offset when
 * the target has none). Whatever was not imported is discarded at start and on every revocation (it is derived again
 * from the topic), offsets are committed only after an import, and an import that overlaps an earlier one is refused
 * by the target in its transaction. Records that cannot be mapped go to {@code <sink>.dead-letter} with an error
 * header, durably before the file that covers their offsets is imported.
 *
 * <p>Thread-safe to start, read status of and close; all else runs on the writer's own thread.
 */
public final class SinkWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ERROR_HEADER = "sluice.error";

    private final SinkSpec spec;
    private final Mapping mapping;
    private final List<Target.Column> columns;
    private final RowEncoder encoder;
    private final dev.sluice.sinks.Conditions conditions;
    private final Target target;
    private final Staging staging;
    private final Path workDir;
    private final Map<String, Object> kafka;
    private final long maxLocalBytes;
    private final StatusBoard status;
    private final SinkMeters meters;
    private final AtomicLong localBytes = new AtomicLong();
    private final Thread thread;
    /** Encodes and compresses the open slice's rows while this writer goes on with the next records (see SliceFile). */
    private final java.util.concurrent.ExecutorService compressor;
    private volatile boolean running = true;
    private KafkaConsumer<byte[], byte[]> consumer;

    private Importer importer;
    private final Set<TopicPartition> needsSeek = new HashSet<>();
    private final Map<TopicPartition, Long> position = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private long seekRetryAt;
    private long seekBackoff = 100;
    private boolean pausedForSpace;
    private long lagCheckedAt;

    // The file being written and its open slice.
    private String fileId;
    private long fileSeq;
    private long fileOpenedAt;
    private long fileRecords;
    private long fileRows;
    private long fileBytes;
    private final Map<TopicPartition, long[]> fileRanges = new LinkedHashMap<>();
    private final List<String> fileSlices = new ArrayList<>();
    private final Map<String, long[]> sliceSizes = new HashMap<>();
    private final List<Future<RecordMetadata>> deadLetters = new ArrayList<>();
    private SliceFile slice;
    private String sliceKey;
    private long sliceRecords;
    private int sliceSeq;

    // Nanoseconds per stage of the consumer loop, logged with each file (see docs/BENCHMARKS.md, "Sinks").
    private long nanosPoll;
    private long nanosParse;
    private long nanosMap;
    private long nanosEncode;
    private long nanosSlice;
    private long nanosClose;
    private long stagedRecords;

    /**
     * @param kafka  client settings for the broker (bootstrap servers, security); group and serde are set here
     * @param meters the sink's meters, which outlive this writer
     */
    public SinkWriter(SinkSpec spec, Target target, Staging staging, Path workDir, Map<String, Object> kafka,
                      long maxLocalBytes, SinkMeters meters) {
        this.spec = spec;
        this.mapping = spec.check();
        List<Target.Column> cols = new ArrayList<>();
        for (int i = 0; i < mapping.specs().size(); i++) {
            cols.add(new Target.Column(mapping.specs().get(i).name(), mapping.types().get(i)));
        }
        this.columns = List.copyOf(cols);
        this.encoder = new RowEncoder(columns);
        this.conditions = spec.effectiveConditions();
        this.target = target;
        this.staging = staging;
        this.workDir = workDir;
        this.kafka = Map.copyOf(kafka);
        this.maxLocalBytes = maxLocalBytes;
        this.meters = meters;
        this.status = new StatusBoard(spec.name(), meters);
        this.compressor = java.util.concurrent.Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("sink-compress-" + spec.name()).daemon().factory());
        this.thread = Thread.ofPlatform().name("sink-writer-" + spec.name()).start(this::run);
    }

    public SinkSpec spec() {
        return spec;
    }

    public SinkStatus status() {
        return status.snapshot();
    }

    /** The lag last measured (about every second), without building a whole status. */
    public long lag() {
        return status.lag;
    }

    /** Bytes of slices written and not imported yet. */
    public long localBytes() {
        return localBytes.get();
    }

    public static String deadLetterTopic(String sink) {
        return sink + ".dead-letter";
    }

    private void run() {
        try {
            clearLocal();
            ensureTable();
            createDeadLetterTopic();
            Map<String, Object> consumerConfig = new HashMap<>(kafka);
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "sluice-sink-" + spec.name());
            consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
            Map<String, Object> producerConfig = new HashMap<>(kafka);
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                         new ByteArraySerializer())) {
                this.consumer = consumer;
                importer = newImporter();
                consumer.subscribe(spec.topics(), new Rebalance());
                status.state = "running";
                while (running) {
                    loop(consumer, producer);
                }
            } finally {
                if (importer != null) {
                    importer.stop();
                }
                discardOpen();
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            if (running) {
                LOG.error("sink {} stopped", spec.name(), e);
                status.lastError = e.toString();
                status.state = "failed";
                return;
            }
        } finally {
            compressor.shutdown();
        }
        status.state = "stopped";
    }

    private void loop(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer)
            throws Exception {
        if (importer.stale()) {
            reset();
            needsSeek.addAll(consumer.assignment());
            consumer.pause(consumer.assignment());
        }
        seekFromTarget(consumer);
        long t0 = System.nanoTime();
        var records = consumer.poll(java.time.Duration.ofMillis(100));
        nanosPoll += System.nanoTime() - t0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            write(record, producer);
        }
        long now = System.currentTimeMillis();
        if (slice != null && now - slice.openedAt() >= conditions.slice().ageMs()) {
            closeSlice();
        }
        if (fileId != null && now - fileOpenedAt >= conditions.file().ageMs()) {
            closeFile();
        }
        commitImported(consumer);
        applyBackpressure(consumer);
        if (now - lagCheckedAt > 1000 && !consumer.assignment().isEmpty()) {
            lagCheckedAt = now;
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> end : consumer.endOffsets(consumer.assignment()).entrySet()) {
                Long at = position.get(end.getKey());
                lag += Math.max(0, end.getValue() - (at == null ? 0 : at));
            }
            status.lag = lag;
        }
    }

    private void write(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> producer)
            throws Exception {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        if (fileId == null) {
            fileId = spec.name() + "-" + System.currentTimeMillis() + "-" + (fileSeq++);
            fileOpenedAt = System.currentTimeMillis();
            status.file(fileId, "writing", 0, 0);
        }
        long[] range = fileRanges.computeIfAbsent(tp, p -> new long[] {record.offset(), record.offset(), 0});
        range[1] = record.offset();
        fileRecords++;
        String[] row;
        try {
            long t0 = System.nanoTime();
            MappingInput in = input(record);
            long t1 = System.nanoTime();
            var mapped = mapping.apply(in);
            long t2 = System.nanoTime();
            row = encoder.encode(mapped);
            long t3 = System.nanoTime();
            nanosParse += t1 - t0;
            nanosMap += t2 - t1;
            nanosEncode += t3 - t2;
        } catch (MappingException e) {
            deadLetter(record, e.getMessage(), producer);
            row = null;
        }
        if (row != null) {
            if (slice == null) {
                openSlice();
            }
            long t0 = System.nanoTime();
            slice.write(row);
            nanosSlice += System.nanoTime() - t0;
            sliceRecords++;
            stagedRecords++;
            range[2]++;
            fileRows++;
            status.written();
            if (sliceRecords >= conditions.slice().records() || slice.bytes() >= conditions.slice().bytes()) {
                closeSlice();
            }
        }
        if (fileRecords >= conditions.file().records() || fileBytes >= conditions.file().bytes()) {
            closeFile();
        }
    }

    private static MappingInput input(ConsumerRecord<byte[], byte[]> record) {
        JsonNode body = null;
        if (record.value() != null) {
            try {
                body = JSON.readTree(record.value());
            } catch (IOException e) {
                body = null;
            }
        }
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            if (header.value() != null) {
                headers.put(header.key().toLowerCase(java.util.Locale.ROOT),
                        new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return new MappingInput(body, headers, record.timestamp(), null, key, record.partition(), record.offset());
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String error,
                            KafkaProducer<byte[], byte[]> producer) {
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(deadLetterTopic(spec.name()), null,
                record.timestamp(), record.key(), record.value(), record.headers());
        dead.headers().add(ERROR_HEADER, error.getBytes(StandardCharsets.UTF_8));
        dead.headers().add("sluice.source", (record.topic() + "/" + record.partition() + "/" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        deadLetters.add(producer.send(dead));
        status.deadLettered();
    }

    private void openSlice() throws IOException {
        sliceKey = spec.name() + "/" + fileId + "-" + (sliceSeq++) + ".csv."
                + (spec.effectiveCompression().equals(SinkSpec.ZSTD) ? "zst" : "gz");
        Path path = workDir.resolve(sliceKey.substring(sliceKey.indexOf('/') + 1));
        slice = new SliceFile(path, columns, spec.effectiveCompression(), System.currentTimeMillis(), compressor);
        sliceRecords = 0;
        status.slice(sliceKey, "writing", 0, 0);
    }

    private void closeSlice() throws IOException {
        if (slice == null) {
            return;
        }
        status.slice(sliceKey, "closing", sliceRecords, slice.bytes());
        long t0 = System.nanoTime();
        slice.close();
        nanosClose += System.nanoTime() - t0;
        long bytes = Files.size(slice.path());
        status.slice(sliceKey, "uploading", sliceRecords, bytes);
        staging.stage(slice.path(), sliceKey);
        status.slice(sliceKey, "uploaded", sliceRecords, bytes);
        fileSlices.add(sliceKey);
        sliceSizes.put(sliceKey, new long[] {sliceRecords, bytes, slice.checksum()});
        fileBytes += bytes;
        localBytes.addAndGet(bytes);
        status.file(fileId, "writing", fileRows, fileBytes);
        slice = null;
    }

    private void closeFile() throws Exception {
        if (fileId == null) {
            return;
        }
        closeSlice();
        status.file(fileId, "closing", fileRows, fileBytes);
        for (Future<RecordMetadata> sent : deadLetters) {
            sent.get(); // durable before an import covers their offsets; a failure stops the writer
        }
        deadLetters.clear();
        List<Target.Range> ranges = new ArrayList<>();
        fileRanges.forEach((tp, r) -> ranges.add(new Target.Range(tp, r[0], r[1], r[2])));
        importer.enqueue(new Importer.PendingFile(fileId, List.copyOf(fileSlices), ranges, fileRows, fileBytes,
                Map.copyOf(sliceSizes)));
        if (LOG.isDebugEnabled() && stagedRecords > 0) {
            double n = stagedRecords;
            LOG.debug("sink {}: writer ns/record over {} records: poll {}, parse {}, map {}, encode {}, csv+compress {},"
                    + " slice close {}", spec.name(), stagedRecords, Math.round(nanosPoll / n),
                    Math.round(nanosParse / n), Math.round(nanosMap / n), Math.round(nanosEncode / n),
                    Math.round(nanosSlice / n), Math.round(nanosClose / n));
        }
        fileId = null;
        fileRecords = 0;
        fileRows = 0;
        fileBytes = 0;
        fileRanges.clear();
        fileSlices.clear();
        sliceSizes.clear();
    }

    private void seekFromTarget(KafkaConsumer<byte[], byte[]> consumer) {
        if (needsSeek.isEmpty() || System.currentTimeMillis() < seekRetryAt) {
            return;
        }
        try {
            Map<TopicPartition, Long> imported;
            synchronized (target) {
                imported = target.importedRanges(spec.name());
            }
            Set<TopicPartition> fromGroup = new HashSet<>(needsSeek);
            fromGroup.removeAll(imported.keySet());
            Map<TopicPartition, OffsetAndMetadata> groupOffsets = fromGroup.isEmpty() ? Map.of()
                    : consumer.committed(fromGroup);
            for (TopicPartition tp : needsSeek) {
                Long last = imported.get(tp);
                OffsetAndMetadata group = groupOffsets.get(tp);
                if (last != null) {
                    consumer.seek(tp, last + 1);
                    position.put(tp, last + 1);
                } else if (group != null) {
                    consumer.seek(tp, group.offset());
                    position.put(tp, group.offset());
                } else {
                    consumer.seekToBeginning(List.of(tp));
                    position.put(tp, consumer.position(tp));
                }
            }
            LOG.info("sink {}: starting {} from the target's offsets {}", spec.name(), needsSeek, imported);
            if (!pausedForSpace) {
                consumer.resume(needsSeek);
            }
            needsSeek.clear();
            seekBackoff = 100;
        } catch (Exception e) {
            status.lastError = "reading " + JdbcTarget.IMPORTS + " failed: " + e.getMessage();
            LOG.warn("sink {}: reading the target's offsets failed, retrying in {} ms: {}", spec.name(), seekBackoff,
                    e.toString());
            seekRetryAt = System.currentTimeMillis() + seekBackoff;
            seekBackoff = Math.min(seekBackoff * 2, Importer.MAX_BACKOFF.toMillis());
        }
    }

    private void commitImported(KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Set<TopicPartition> assigned = consumer.assignment();
        importer.imported().forEach((tp, last) -> {
            if (assigned.contains(tp) && !Long.valueOf(last + 1).equals(committed.get(tp))) {
                commit.put(tp, new OffsetAndMetadata(last + 1));
            }
        });
        if (commit.isEmpty()) {
            return;
        }
        commit.forEach((tp, offset) -> position.merge(tp, offset.offset(), Math::max));
        try {
            consumer.commitSync(commit);
            commit.forEach((tp, offset) -> committed.put(tp, offset.offset()));
        } catch (Exception e) {
            LOG.debug("sink {}: commit failed (the target keeps the truth): {}", spec.name(), e.toString());
        }
    }

    private void applyBackpressure(KafkaConsumer<byte[], byte[]> consumer) {
        boolean full = localBytes.get() >= maxLocalBytes;
        if (full && !pausedForSpace) {
            pausedForSpace = true;
            consumer.pause(consumer.assignment());
            status.state = "paused: " + localBytes.get() + " local bytes wait for import (limit " + maxLocalBytes
                    + ")";
            LOG.warn("sink {}: {}", spec.name(), status.state);
        } else if (!full && pausedForSpace) {
            pausedForSpace = false;
            Set<TopicPartition> resume = new HashSet<>(consumer.assignment());
            resume.removeAll(needsSeek);
            consumer.resume(resume);
            status.state = "running";
        }
    }

    /** Drops everything not imported and starts a new importer; the partitions must then be sought again. */
    private void reset() throws IOException {
        importer.stop();
        discardOpen();
        staging.clear(spec.name());
        clearWorkDir();
        localBytes.set(0);
        pausedForSpace = false;
        status.discardUnimported();
        position.clear();
        committed.clear();
        importer = newImporter();
    }

    private Importer newImporter() {
        return new Importer(spec.name(), spec.target().table(), columns, spec.effectiveCompression(), target,
                staging, status, localBytes, meters);
    }

    private void discardOpen() {
        if (slice != null) {
            slice.abandon();
            slice = null;
        }
        fileId = null;
        fileRecords = 0;
        fileRows = 0;
        fileBytes = 0;
        fileRanges.clear();
        fileSlices.clear();
        sliceSizes.clear();
        deadLetters.clear();
    }

    private void clearLocal() throws IOException {
        staging.clear(spec.name());
        clearWorkDir();
    }

    private void clearWorkDir() throws IOException {
        Files.createDirectories(workDir);
        try (Stream<Path> files = Files.list(workDir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void ensureTable() throws InterruptedException {
        long backoff = 100;
        while (running) {
            try {
                synchronized (target) {
                    target.ensureTable(spec.target().table(), columns);
                }
                status.lastError = null;
                return;
            } catch (dev.sluice.sinks.SinkSpecException e) {
                throw e;
            } catch (Exception e) {
                status.lastError = "preparing table " + spec.target().table() + " failed: " + e.getMessage();
                LOG.warn("sink {}: {}; retrying in {} ms", spec.name(), status.lastError, backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, Importer.MAX_BACKOFF.toMillis());
            }
        }
    }

    private void createDeadLetterTopic() {
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(deadLetterTopic(spec.name()), 1, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("sink {}: creating {} failed: {}", spec.name(), deadLetterTopic(spec.name()), e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Eager rebalancing: everything is revoked, then assigned. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                reset();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            needsSeek.clear();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            needsSeek.addAll(partitions);
            consumer.pause(partitions);
        }
    }

    /** Stops consuming; what is not imported is dropped (the next start derives it again from the topic). */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        target.close();
    }
}
