package dev.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * Random sequences of appends, reads, timestamp lookups, restarts (clean and unclean), record deletion and size
 * retention, over logs with small segments and index intervals, checked against a list of records as the model.
 */
class PartitionLogPropertyTest {
    private static final TopicPartition TP = new TopicPartition("model", 0);

    sealed interface Action permits Append, Read, FindTimestamp, Reopen, DeleteRecords, RetainBytes {
    }

    record Append(int records, int valueBytes, long timestamp, boolean compressed) implements Action {
    }

    record Read(double where, int maxBytes) implements Action {
    }

    record FindTimestamp(long timestamp) implements Action {
    }

    record Reopen(boolean clean) implements Action {
    }

    record DeleteRecords(double where) implements Action {
    }

    record RetainBytes(int bytes) implements Action {
    }

    record Stored(long timestamp, String value) {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> append = Combinators.combine(Arbitraries.integers().between(1, 8),
                        Arbitraries.integers().between(0, 400), Arbitraries.longs().between(0, 1000),
                        Arbitraries.of(true, false))
                .as((n, size, ts, compressed) -> (Action) new Append(n, size, ts, compressed));
        Arbitrary<Action> read = Combinators.combine(Arbitraries.doubles().between(0, 1.2),
                Arbitraries.integers().between(1, 5000)).as((where, max) -> (Action) new Read(where, max));
        Arbitrary<Action> find = Arbitraries.longs().between(-5, 1005).map(FindTimestamp::new);
        Arbitrary<Action> reopen = Arbitraries.of(true, false).map(Reopen::new);
        Arbitrary<Action> delete = Arbitraries.doubles().between(0, 1).map(DeleteRecords::new);
        Arbitrary<Action> retain = Arbitraries.integers().between(0, 20_000).map(RetainBytes::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, append), net.jqwik.api.Tuple.of(6, read), net.jqwik.api.Tuple.of(3, find),
                net.jqwik.api.Tuple.of(2, reopen), net.jqwik.api.Tuple.of(1, delete),
                net.jqwik.api.Tuple.of(1, retain)).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 100)
    void logBehavesLikeAListOfRecords(@ForAll("actions") List<Action> actions,
                                      @ForAll @IntRange(min = 1024, max = 6000) int segmentBytes,
                                      @ForAll @IntRange(min = 0, max = 2000) int indexInterval) throws Exception {
        Path dir = Files.createTempDirectory("sluice-property");
        LogConfig config = LogConfig.builder().segmentBytes(segmentBytes).indexIntervalBytes(indexInterval)
                .retentionMs(-1).build();
        List<Stored> model = new ArrayList<>();
        long modelStart = 0;
        long sequence = 0;
        LogManager manager = open(dir, config);
        try {
            PartitionLog log = manager.createPartition(TP, config);
            for (Action action : actions) {
                switch (action) {
                    case Append append -> {
                        SimpleRecord[] records = new SimpleRecord[append.records()];
                        List<Stored> added = new ArrayList<>();
                        for (int i = 0; i < records.length; i++) {
                            String value = (sequence++) + ":" + "v".repeat(append.valueBytes());
                            long ts = append.timestamp() + i;
                            records[i] = new SimpleRecord(ts, value.getBytes());
                            added.add(new Stored(ts, value));
                        }
                        ByteBuffer batch = MemoryRecords.withRecords(
                                append.compressed() ? Compression.lz4().build() : Compression.NONE, records).buffer();
                        AppendResult result = log.append(batch).join();
                        assertThat(result.baseOffset()).isEqualTo(model.size());
                        assertThat(result.lastOffset()).isEqualTo(model.size() + records.length - 1);
                        model.addAll(added);
                    }
                    case Read read -> {
                        long offset = modelStart + (long) (read.where() * (model.size() - modelStart));
                        if (offset > model.size()) {
                            PartitionLog current = log;
                            assertThatThrownBy(() -> current.read(offset, read.maxBytes()))
                                    .isInstanceOf(OffsetOutOfRangeException.class);
                        } else {
                            List<Batches.Read> got = Batches.records(log.read(offset, read.maxBytes()));
                            if (offset == model.size()) {
                                assertThat(got).isEmpty();
                            } else {
                                assertThat(got).isNotEmpty();
                                // Whole batches: the first may start before the offset, never after it.
                                assertThat(got.getFirst().offset()).isLessThanOrEqualTo(offset);
                                assertThat(got.getLast().offset()).isGreaterThanOrEqualTo(offset);
                                for (Batches.Read r : got) {
                                    assertThat(r.value()).isEqualTo(model.get((int) r.offset()).value());
                                    assertThat(r.timestamp()).isEqualTo(model.get((int) r.offset()).timestamp());
                                }
                            }
                        }
                    }
                    case FindTimestamp find -> {
                        TimestampOffset expected = null;
                        for (int i = (int) modelStart; i < model.size(); i++) {
                            if (model.get(i).timestamp() >= find.timestamp()) {
                                expected = new TimestampOffset(model.get(i).timestamp(), i);
                                break;
                            }
                        }
                        assertThat(log.offsetForTimestamp(find.timestamp())).isEqualTo(
                                java.util.Optional.ofNullable(expected));
                    }
                    case Reopen reopen -> {
                        manager.close();
                        if (!reopen.clean()) {
                            Path partition = dir.resolve("model-0");
                            Files.deleteIfExists(partition.resolve("clean-shutdown"));
                            Files.deleteIfExists(partition.resolve("recovery-point"));
                        }
                        manager = open(dir, config);
                        log = manager.partition(TP).orElseThrow();
                    }
                    case DeleteRecords delete -> {
                        long offset = modelStart + (long) (delete.where() * (model.size() - modelStart));
                        assertThat(log.deleteRecordsBefore(offset)).isEqualTo(offset);
                        modelStart = offset;
                    }
                    case RetainBytes retain -> {
                        log.reconfigure(config.toBuilder().retentionBytes(retain.bytes()).build());
                        log.runMaintenance();
                        log.reconfigure(config);
                        assertThat(log.logStartOffset()).isBetween(modelStart, (long) model.size());
                        modelStart = log.logStartOffset();
                    }
                }
                assertThat(log.highWatermark()).isEqualTo(model.size());
                assertThat(log.logEndOffset()).isEqualTo(model.size());
                assertThat(log.logStartOffset()).isEqualTo(modelStart);
            }
            List<Batches.Read> all = Batches.readAll(log, modelStart);
            assertThat(all).hasSize((int) (model.size() - modelStart));
            for (Batches.Read read : all) {
                assertThat(read.value()).isEqualTo(model.get((int) read.offset()).value());
            }
        } finally {
            manager.close();
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static LogManager open(Path dir, LogConfig config) throws Exception {
        return LogManager.open(dir, config, FileLayer.SYSTEM, java.time.Clock.systemUTC(), Duration.ofHours(1),
                Duration.ofMillis(1));
    }
}
