package dev.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the log engine tells an observer (fsyncs), and how much of the log a read covers (for metrics). */
class LogObserverTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dir;

    private record Fsync(TopicPartition partition, long nanos, boolean failed) {
    }

    @Test
    void theGroupCommitterReportsEveryFsyncWithItsPartitionAndDuration() throws Exception {
        List<Fsync> fsyncs = new CopyOnWriteArrayList<>();
        try (LogManager logs = LogManager.open(dir, LogConfig.defaults(),
                (partition, nanos, failed) -> fsyncs.add(new Fsync(partition, nanos, failed)))) {
            PartitionLog log = logs.createPartition(TP, LogConfig.defaults());
            for (int i = 0; i < 5; i++) {
                log.append(Batches.of(i, "v" + i)).join();
            }
        }
        assertThat(fsyncs).hasSizeGreaterThanOrEqualTo(1)
                .allSatisfy(fsync -> {
                    assertThat(fsync.partition()).isEqualTo(TP);
                    assertThat(fsync.nanos()).isPositive();
                    assertThat(fsync.failed()).isFalse();
                });
    }

    @Test
    void intervalFlushesAreReportedToo() throws Exception {
        List<Fsync> fsyncs = new CopyOnWriteArrayList<>();
        LogConfig config = LogConfig.builder().flushPolicy(FlushPolicy.INTERVAL).flushIntervalMs(10).build();
        try (LogManager logs = LogManager.open(dir, config,
                (partition, nanos, failed) -> fsyncs.add(new Fsync(partition, nanos, failed)))) {
            logs.createPartition(TP, config).append(Batches.of(1, "a")).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> !fsyncs.isEmpty());
        }
        assertThat(fsyncs.getFirst().partition()).isEqualTo(TP);
    }

    @Test
    void anObserverThatThrowsDoesNotStopAppends() throws Exception {
        try (LogManager logs = LogManager.open(dir, LogConfig.defaults(), (partition, nanos, failed) -> {
            throw new IllegalStateException("broken metrics");
        })) {
            PartitionLog log = logs.createPartition(TP, LogConfig.defaults());
            log.append(Batches.of(1, "a")).join();
            log.append(Batches.of(2, "b")).join();
            assertThat(log.highWatermark()).isEqualTo(2);
        }
    }

    @Test
    void aReadTellsTheOffsetAfterItsWholeBatches() throws Exception {
        // Every batch gets an index entry, so even a read cut short by maxBytes knows its end exactly.
        LogConfig config = LogConfig.builder().indexIntervalBytes(1).segmentBytes(4096).build();
        try (LogManager logs = LogManager.open(dir, config)) {
            PartitionLog log = logs.createPartition(TP, config);
            for (int i = 0; i < 100; i++) {
                log.append(Batches.of(i, "value-" + "x".repeat(50) + i, "second-" + i)).join();
            }
            long end = log.highWatermark();

            ReadResult toTheEnd = log.read(end - 6, Integer.MAX_VALUE);
            assertThat(toTheEnd.nextOffset()).isEqualTo(end);

            ReadResult cut = log.read(10, 500);
            List<Batches.Read> records = Batches.records(cut);
            assertThat(records).isNotEmpty();
            assertThat(cut.nextOffset()).isEqualTo(records.getLast().offset() + 1);

            ReadResult midBatch = log.read(11, 1);
            assertThat(midBatch.nextOffset()).isEqualTo(12);

            ReadResult segmentEnd = log.read(0, Integer.MAX_VALUE);
            assertThat(segmentEnd.nextOffset()).isEqualTo(Batches.records(segmentEnd).getLast().offset() + 1)
                    .isLessThan(end);

            ReadResult empty = log.read(end, 1000);
            assertThat(empty.records().isEmpty()).isTrue();
            assertThat(empty.nextOffset()).isEqualTo(end);
        }
    }
}
