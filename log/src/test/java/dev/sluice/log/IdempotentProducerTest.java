package dev.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sequence checks for idempotent producers: retries are answered, not appended twice; gaps and old epochs fail. */
class IdempotentProducerTest {
    private static final TopicPartition TP = new TopicPartition("idem", 0);
    private static final LogConfig CONFIG = LogConfig.builder().segmentBytes(2048).build();

    @TempDir
    Path dir;

    private LogManager manager;

    private PartitionLog open() throws Exception {
        manager = LogManager.open(dir, CONFIG, FileLayer.SYSTEM, Clock.systemUTC(), Duration.ofHours(1),
                Duration.ofMillis(1));
        return manager.createPartition(TP, CONFIG);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    private static ByteBuffer batch(long producerId, int epoch, int sequence, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1000, values[i].getBytes());
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) epoch, sequence, records)
                .buffer();
    }

    @Test
    void aRetriedBatchGetsItsFirstOffsetsAndIsNotAppendedAgain() throws Exception {
        PartitionLog log = open();
        AppendResult first = log.append(batch(7, 0, 0, "a", "b")).join();
        log.append(batch(8, 0, 0, "other")).join();
        AppendResult retry = log.append(batch(7, 0, 0, "a", "b")).join();

        assertThat(retry.baseOffset()).isEqualTo(first.baseOffset());
        assertThat(retry.lastOffset()).isEqualTo(first.lastOffset());
        assertThat(log.highWatermark()).isEqualTo(3);
    }

    @Test
    void sequencesMustFollowOnAndGapsAreRejected() throws Exception {
        PartitionLog log = open();
        log.append(batch(7, 0, 0, "a", "b")).join();
        log.append(batch(7, 0, 2, "c")).join();

        assertThatThrownBy(() -> log.append(batch(7, 0, 5, "gap")).join())
                .hasCauseInstanceOf(OutOfOrderSequenceException.class);
        assertThatThrownBy(() -> log.append(batch(9, 0, 3, "unknown producer mid-stream")).join())
                .hasCauseInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.highWatermark()).isEqualTo(3);
        assertThat(log.append(batch(7, 0, 3, "d")).join().baseOffset()).isEqualTo(3);
    }

    @Test
    void aNewEpochRestartsAtZeroAndFencesTheOldOne() throws Exception {
        PartitionLog log = open();
        log.append(batch(7, 0, 0, "a")).join();
        log.append(batch(7, 1, 0, "b")).join();

        assertThatThrownBy(() -> log.append(batch(7, 0, 1, "zombie")).join())
                .hasCauseInstanceOf(InvalidProducerEpochException.class);
        assertThatThrownBy(() -> log.append(batch(7, 2, 4, "bad start")).join())
                .hasCauseInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void producerStateSurvivesACleanRestartAndIsRebuiltAfterAnUncleanOne() throws Exception {
        PartitionLog log = open();
        for (int i = 0; i < 40; i++) {
            log.append(batch(7, 0, i, "value-" + i)).join();
        }
        manager.close();
        log = open();
        assertThat(log.append(batch(7, 0, 39, "value-39")).join().baseOffset()).isEqualTo(39);
        assertThat(log.append(batch(7, 0, 40, "value-40")).join().baseOffset()).isEqualTo(40);

        manager.close();
        Path partition = dir.resolve("idem-0");
        Files.delete(partition.resolve("clean-shutdown"));
        Files.delete(partition.resolve("producer-state"));
        log = open();
        assertThat(log.append(batch(7, 0, 40, "value-40")).join().baseOffset()).isEqualTo(40);
        assertThat(log.highWatermark()).isEqualTo(41);
        PartitionLog recovered = log;
        assertThatThrownBy(() -> recovered.append(batch(7, 0, 42, "gap")).join())
                .hasCauseInstanceOf(OutOfOrderSequenceException.class);
    }
}
