package dev.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rolling by age, retention by time and size, and compaction with tombstones. */
class MaintenanceTest {
    private static final TopicPartition TP = new TopicPartition("state", 0);
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private LogManager manager;

    private PartitionLog open(LogConfig config) throws Exception {
        manager = LogManager.open(dir, config, FileLayer.SYSTEM, clock, Duration.ofHours(1), Duration.ofMillis(1));
        return manager.createPartition(TP, config);
    }

    private PartitionLog reopen(LogConfig config) throws Exception {
        manager.close();
        return open(config);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void activeSegmentRollsWhenOlderThanSegmentMs() throws Exception {
        PartitionLog log = open(LogConfig.builder().segmentMs(60_000).build());
        log.append(Batches.of(T0, "a")).join();
        clock.advance(30_000);
        log.append(Batches.of(T0, "b")).join();
        assertThat(log.segmentCount()).isEqualTo(1);

        clock.advance(31_000);
        log.append(Batches.of(T0, "c")).join();
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(Batches.readAll(log, 0)).extracting(Batches.Read::value).containsExactly("a", "b", "c");
    }

    @Test
    void retentionByTimeDeletesWholeSegmentsWhoseNewestRecordIsTooOld() throws Exception {
        LogConfig config = LogConfig.builder().segmentBytes(1024).retentionMs(60_000).build();
        PartitionLog log = open(config);
        for (int i = 0; i < 30; i++) {
            log.append(Batches.of(T0 - 120_000, "old-" + i)).join();
        }
        for (int i = 0; i < 30; i++) {
            log.append(Batches.of(T0, "new-" + i)).join();
        }
        assertThat(manager.runMaintenance()).isPositive();

        List<Batches.Read> remaining = Batches.readAll(log, log.logStartOffset());
        assertThat(remaining).extracting(Batches.Read::value).contains("new-0", "new-29");
        assertThat(remaining).allSatisfy(r -> assertThat(r.offset()).isGreaterThanOrEqualTo(log.logStartOffset()));
        assertThat(log.logStartOffset()).isPositive().isLessThanOrEqualTo(30);
        // Old records may survive only in the segment shared with new ones.
        assertThat(remaining.stream().filter(r -> r.value().startsWith("old")).count()).isLessThan(10);

        long start = log.logStartOffset();
        assertThat(reopen(config).logStartOffset()).isEqualTo(start);
    }

    @Test
    void retentionBySizeKeepsTheLogUnderTheLimitButNeverDeletesTheActiveSegment() throws Exception {
        PartitionLog log = open(LogConfig.builder().segmentBytes(1024).retentionBytes(3000).retentionMs(-1).build());
        for (int i = 0; i < 100; i++) {
            log.append(Batches.of(T0, "record-" + i)).join();
        }
        long before = log.sizeInBytes();
        manager.runMaintenance();

        assertThat(before).isGreaterThan(3000);
        assertThat(log.sizeInBytes()).isLessThanOrEqualTo(3000 + 1024);
        assertThat(log.segmentCount()).isGreaterThanOrEqualTo(1);
        assertThat(log.highWatermark()).isEqualTo(100);
        assertThat(Batches.readAll(log, log.logStartOffset()).getLast().value()).isEqualTo("record-99");
    }

    @Test
    void compactionKeepsTheLatestValuePerKeyAndRemovesTombstonesAfterTheirDelay() throws Exception {
        LogConfig config = LogConfig.builder().segmentBytes(1024).cleanupPolicy(CleanupPolicy.COMPACT)
                .deleteRetentionMs(60_000).build();
        PartitionLog log = open(config);
        Map<String, String> expected = new LinkedHashMap<>();
        for (int round = 0; round < 10; round++) {
            for (int k = 0; k < 5; k++) {
                String value = "v" + round;
                log.append(Batches.keyed(T0, "key-" + k, value)).join();
                expected.put("key-" + k, value);
            }
        }
        log.append(Batches.keyed(T0, "key-0", null)).join();
        expected.remove("key-0");
        // Fill a few segments so that everything above is in sealed segments.
        for (int i = 0; i < 40; i++) {
            log.append(Batches.keyed(T0, "filler-" + i, "f")).join();
        }
        long end = log.highWatermark();
        long sizeBefore = log.sizeInBytes();

        assertThat(manager.runMaintenance()).isPositive();
        assertThat(log.sizeInBytes()).isLessThan(sizeBefore);
        assertThat(log.highWatermark()).isEqualTo(end);
        Map<String, String> latest = latestByKey(Batches.readAll(log, log.logStartOffset()));
        for (int k = 1; k < 5; k++) {
            assertThat(latest).containsEntry("key-" + k, expected.get("key-" + k));
        }
        assertThat(Batches.readAll(log, 0).stream().filter(r -> r.key().equals("key-1"))).hasSize(1);
        // The tombstone stays until delete.retention.ms after it was first compacted.
        assertThat(Batches.readAll(log, 0)).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo("key-0");
            assertThat(r.value()).isNull();
        });

        clock.advance(61_000);
        manager.runMaintenance();
        assertThat(Batches.readAll(log, 0)).noneSatisfy(r -> assertThat(r.key()).isEqualTo("key-0"));

        // Offsets keep their meaning across a restart after compaction.
        PartitionLog reopened = reopen(config);
        assertThat(reopened.highWatermark()).isEqualTo(end);
        assertThat(latestByKey(Batches.readAll(reopened, 0))).containsEntry("key-4", "v9");
        assertThat(reopened.append(Batches.keyed(T0, "key-9", "x")).join().baseOffset()).isEqualTo(end);
    }

    @Test
    void readsOfAnOffsetRemovedByCompactionReturnTheNextRecord() throws Exception {
        LogConfig config = LogConfig.builder().segmentBytes(1024).cleanupPolicy(CleanupPolicy.COMPACT).build();
        PartitionLog log = open(config);
        for (int i = 0; i < 30; i++) {
            log.append(Batches.keyed(T0, "same", "v" + i)).join();
        }
        for (int i = 0; i < 30; i++) {
            log.append(Batches.keyed(T0, "other-" + i, "o")).join();
        }
        manager.runMaintenance();

        List<Batches.Read> fromZero = Batches.records(log.read(0, 1 << 20));
        assertThat(fromZero.getFirst().offset()).isGreaterThan(0);
        assertThat(Batches.readAll(log, 0).stream().filter(r -> r.key().equals("same")))
                .singleElement().extracting(Batches.Read::value).isEqualTo("v29");
    }

    private static Map<String, String> latestByKey(List<Batches.Read> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (Batches.Read read : records) {
            latest.put(read.key(), read.value());
        }
        return latest;
    }
}
