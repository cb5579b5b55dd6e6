package dev.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery repairs damaged files: torn or garbage tails, zeroed ends, cut or missing indexes. */
class RecoveryTest {
    private static final TopicPartition TP = new TopicPartition("events", 3);
    private static final LogConfig CONFIG = LogConfig.builder().segmentBytes(4096).indexIntervalBytes(256).build();
    private static final int RECORDS = 200;

    @TempDir
    Path root;

    private Path partitionDir;
    private LogManager manager;

    @BeforeEach
    void writeLogAndCloseCleanly() throws Exception {
        try (LogManager writer = open()) {
            PartitionLog log = writer.createPartition(TP, CONFIG);
            for (int i = 0; i < RECORDS; i++) {
                log.append(Batches.of(1_000_000 + i * 1000L, "value-" + i)).join();
            }
        }
        partitionDir = root.resolve("events-3");
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    private LogManager open() throws Exception {
        return LogManager.open(root, CONFIG, FileLayer.SYSTEM, Clock.systemUTC(), Duration.ofHours(1),
                Duration.ofMillis(1));
    }

    private PartitionLog reopen() throws Exception {
        manager = open();
        return manager.partition(TP).orElseThrow();
    }

    private List<Path> files(String suffix) throws Exception {
        try (Stream<Path> listing = Files.list(partitionDir)) {
            return listing.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private void markUnclean() throws Exception {
        Files.delete(partitionDir.resolve("clean-shutdown"));
    }

    private static void appendBytes(Path file, byte[] bytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(bytes));
        }
    }

    private static void assertAllRecordsReadable(PartitionLog log, int count) {
        assertThat(log.highWatermark()).isEqualTo(count);
        List<Batches.Read> all = Batches.readAll(log, 0);
        assertThat(all).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(all.get(i).value()).isEqualTo("value-" + i);
            assertThat(Batches.records(log.read(i, 1)).getFirst().offset()).isEqualTo(i);
        }
    }

    private static void assertAppendsContinue(PartitionLog log, long expectedOffset) {
        assertThat(log.append(Batches.of(5, "after")).join().baseOffset()).isEqualTo(expectedOffset);
        assertThat(Batches.records(log.read(expectedOffset, 100)).getFirst().value()).isEqualTo("after");
    }

    @Test
    void garbageTailIsTruncated() throws Exception {
        markUnclean();
        byte[] garbage = new byte[777];
        new Random(1).nextBytes(garbage);
        appendBytes(files(".log").getLast(), garbage);

        PartitionLog log = reopen();
        assertAllRecordsReadable(log, RECORDS);
        assertAppendsContinue(log, RECORDS);
    }

    @Test
    void zeroFilledSegmentEndIsTruncated() throws Exception {
        markUnclean();
        Path last = files(".log").getLast();
        long before = Files.size(last);
        appendBytes(last, new byte[4096]);

        PartitionLog log = reopen();
        assertAllRecordsReadable(log, RECORDS);
        assertThat(Files.size(last)).isEqualTo(before);
        assertAppendsContinue(log, RECORDS);
    }

    @Test
    void tornLastBatchIsDroppedAndEverythingBeforeItKept() throws Exception {
        markUnclean();
        Path last = files(".log").getLast();
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 5);
        }

        PartitionLog log = reopen();
        assertAllRecordsReadable(log, RECORDS - 1);
        assertAppendsContinue(log, RECORDS - 1);
    }

    @Test
    void flippedByteInTheActiveSegmentCutsTheLogAtThatBatch() throws Exception {
        markUnclean();
        Path last = files(".log").getLast();
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, channel.size() - 3);
            one.put(0, (byte) (one.get(0) ^ 0x55)).rewind();
            channel.write(one, channel.size() - 3);
        }

        PartitionLog log = reopen();
        // Only the last batch held the flipped byte: its CRC fails and recovery drops it.
        assertAllRecordsReadable(log, RECORDS - 1);
    }

    @Test
    void truncatedIndexIsRebuilt() throws Exception {
        Path index = files(".index").getFirst();
        long original = Files.size(index);
        try (FileChannel channel = FileChannel.open(index, StandardOpenOption.WRITE)) {
            channel.truncate(original / 2 + 3);
        }
        Path timeIndex = files(".timeindex").getFirst();
        try (FileChannel channel = FileChannel.open(timeIndex, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(timeIndex) - 5);
        }

        PartitionLog log = reopen();
        assertAllRecordsReadable(log, RECORDS);
        assertThat(Files.size(index)).isEqualTo(original);
        assertThat(log.offsetForTimestamp(1_000_000 + 10 * 1000L)).contains(new TimestampOffset(1_010_000, 10));
    }

    @Test
    void deletedIndexesAreRebuilt() throws Exception {
        Path index = files(".index").get(1);
        Path timeIndex = files(".timeindex").get(1);
        long original = Files.size(index);
        Files.delete(index);
        Files.delete(timeIndex);

        PartitionLog log = reopen();
        assertAllRecordsReadable(log, RECORDS);
        assertThat(index).exists();
        assertThat(Files.size(index)).isEqualTo(original);
        assertThat(timeIndex).exists();
        for (int i = 0; i < RECORDS; i += 7) {
            assertThat(log.offsetForTimestamp(1_000_000 + i * 1000L)).contains(new TimestampOffset(1_000_000 + i * 1000L, i));
        }
    }

    @Test
    void garbageInAnIndexIsDetectedAndRebuilt() throws Exception {
        Path index = files(".index").getFirst();
        byte[] junk = new byte[(int) Files.size(index)];
        new Random(3).nextBytes(junk);
        Files.write(index, junk);

        PartitionLog log = reopen();
        assertAllRecordsReadable(log, RECORDS);
    }

    @Test
    void missingRecoveryPointAfterAnUncleanStopScansEverySegment() throws Exception {
        markUnclean();
        Files.delete(partitionDir.resolve("recovery-point"));

        PartitionLog log = reopen();
        assertAllRecordsReadable(log, RECORDS);
        assertAppendsContinue(log, RECORDS);
    }

    @Test
    void leftoverFilesOfAnInterruptedCompactionAreRemoved() throws Exception {
        Path leftover = partitionDir.resolve(files(".log").getFirst().getFileName() + ".cleaned");
        Files.write(leftover, new byte[100]);

        PartitionLog log = reopen();
        assertAllRecordsReadable(log, RECORDS);
        assertThat(leftover).doesNotExist();
    }
}
