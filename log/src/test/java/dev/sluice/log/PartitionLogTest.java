package dev.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dir;

    private LogManager manager;

    private PartitionLog open(LogConfig config) throws Exception {
        manager = LogManager.open(dir, config, FileLayer.SYSTEM, Clock.systemUTC(), Duration.ofHours(1),
                Duration.ofMillis(10));
        return manager.createPartition(TP, config);
    }

    private PartitionLog reopen(LogConfig config) throws Exception {
        manager.close();
        return open(config);
    }

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void appendAssignsConsecutiveOffsetsAndReadsReturnTheSameRecords() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        AppendResult first = log.append(Batches.of(1000, "a", "b", "c")).join();
        AppendResult second = log.append(Batches.of(2000, "d")).join();

        assertThat(first.baseOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(second.baseOffset()).isEqualTo(3);
        assertThat(log.highWatermark()).isEqualTo(4);
        assertThat(Batches.readAll(log, 0)).extracting(Batches.Read::value).containsExactly("a", "b", "c", "d");
        assertThat(Batches.records(log.read(3, 100))).extracting(Batches.Read::offset).containsExactly(3L);
    }

    @Test
    void aCallbackHearsOfEachAppendOnceDurableInOffsetOrder() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        java.util.List<String> heard = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(3);
        AppendCallback callback = (base, last, logStart, failure) -> {
            // Durable by the time it is told: a reader sees the records.
            heard.add(base + "-" + last + "@" + logStart + (failure == null ? "" : " " + failure)
                    + " hw=" + log.highWatermark());
            done.countDown();
        };
        log.append(Batches.of(1, "a", "b"), callback);
        log.append(Batches.of(2, "c"), callback);
        log.append(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), callback);
        assertThat(done.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(heard).hasSize(3);
        assertThat(heard).filteredOn(h -> h.contains("Corrupt")).singleElement()
                .satisfies(h -> assertThat(h).startsWith("-1--1@-1"));
        assertThat(heard).filteredOn(h -> !h.contains("Corrupt")).satisfiesExactly(
                h -> assertThat(h).startsWith("0-1@0").matches(".*hw=[23]"),
                h -> assertThat(h).isEqualTo("2-2@0 hw=3"));
    }

    @Test
    void aCallbackThatThrowsDoesNotStopLaterAppendsFromCompleting() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.append(Batches.of(1, "a"), (base, last, logStart, failure) -> {
            throw new IllegalStateException("a broken caller");
        });
        AppendResult after = log.append(Batches.of(2, "b")).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(after.baseOffset()).isEqualTo(1);
    }

    @Test
    void readAtTheHighWatermarkIsEmptyAndBeyondItIsOutOfRange() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.append(Batches.of(1, "a")).join();

        assertThat(log.read(1, 100).records().isEmpty()).isTrue();
        assertThatThrownBy(() -> log.read(2, 100)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void aReadReturnsAtLeastOneWholeBatchEvenWhenLargerThanMaxBytes() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.append(Batches.of(1, "x".repeat(500))).join();

        ReadResult read = log.read(0, 10);
        assertThat(Batches.records(read)).hasSize(1);
    }

    @Test
    void segmentsRollBySizeAndReadsCrossThem() throws Exception {
        PartitionLog log = open(LogConfig.builder().segmentBytes(1024).indexIntervalBytes(100).build());
        for (int i = 0; i < 100; i++) {
            log.append(Batches.of(i, "value-" + i)).join();
        }

        assertThat(log.segmentCount()).isGreaterThan(5);
        List<Batches.Read> all = Batches.readAll(log, 0);
        assertThat(all).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(all.get(i).offset()).isEqualTo(i);
            assertThat(all.get(i).value()).isEqualTo("value-" + i);
            assertThat(Batches.records(log.read(i, 1)).getFirst().offset()).isEqualTo(i);
        }
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordAtOrAfterIt() throws Exception {
        PartitionLog log = open(LogConfig.builder().segmentBytes(1024).indexIntervalBytes(64).build());
        for (int i = 0; i < 60; i++) {
            log.append(Batches.of(10_000 + i * 10L, "v" + i, "w" + i)).join();
        }

        assertThat(log.offsetForTimestamp(0)).contains(new TimestampOffset(10_000, 0));
        assertThat(log.offsetForTimestamp(10_105)).contains(new TimestampOffset(10_110, 22));
        assertThat(log.offsetForTimestamp(10_590)).contains(new TimestampOffset(10_590, 118));
        assertThat(log.offsetForTimestamp(10_591)).isEmpty();
    }

    @Test
    void groupCommitCoversManyConcurrentAppendsWithFewFsyncs() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    CompletableFuture<AppendResult> future = log.append(Batches.of(1, "r"));
                    synchronized (futures) {
                        futures.add(future);
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

        assertThat(log.highWatermark()).isEqualTo(1600);
        long fsyncs = ((dev.sluice.log.internal.RealPartitionLog) log).fsyncCount();
        assertThat(fsyncs).isLessThan(1600);
        assertThat(futures).allSatisfy(f -> assertThat(f.join().lastOffset()).isLessThan(1600));
    }

    @Test
    void reopenAfterCleanCloseKeepsEverythingAndContinuesOffsets() throws Exception {
        LogConfig config = LogConfig.builder().segmentBytes(2048).indexIntervalBytes(128).build();
        PartitionLog log = open(config);
        for (int i = 0; i < 50; i++) {
            log.append(Batches.of(i, "v" + i)).join();
        }
        log = reopen(config);

        assertThat(log.highWatermark()).isEqualTo(50);
        assertThat(log.append(Batches.of(99, "next")).join().baseOffset()).isEqualTo(50);
        assertThat(Batches.readAll(log, 0)).hasSize(51);
    }

    @Test
    void corruptBatchIsRejectedWithATypedErrorAndTheLogStaysUsable() throws Exception {
        PartitionLog log = open(LogConfig.builder().maxBatchBytes(4096).build());
        ByteBuffer corrupt = Batches.of(1, "payload");
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 0xFF));
        ByteBuffer badMagic = Batches.of(1, "payload");
        badMagic.put(16, (byte) 1);
        ByteBuffer negativeLength = Batches.of(1, "payload");
        negativeLength.putInt(8, -5);
        ByteBuffer truncated = Batches.of(1, "payload").limit(40);
        ByteBuffer huge = Batches.of(1, "x".repeat(5000));

        assertThatThrownBy(() -> log.append(corrupt).join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(org.apache.kafka.common.errors.CorruptRecordException.class)
                .hasMessageContaining("CRC");
        assertThatThrownBy(() -> log.append(badMagic).join())
                .hasCauseInstanceOf(org.apache.kafka.common.InvalidRecordException.class);
        assertThatThrownBy(() -> log.append(negativeLength).join())
                .hasCauseInstanceOf(org.apache.kafka.common.errors.CorruptRecordException.class);
        assertThatThrownBy(() -> log.append(truncated).join())
                .hasCauseInstanceOf(org.apache.kafka.common.errors.CorruptRecordException.class);
        assertThatThrownBy(() -> log.append(huge).join())
                .hasCauseInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class);
        assertThatThrownBy(() -> log.append(ByteBuffer.allocate(0)).join())
                .hasCauseInstanceOf(org.apache.kafka.common.errors.CorruptRecordException.class);

        assertThat(log.highWatermark()).isZero();
        assertThat(log.append(Batches.of(1, "ok")).join().baseOffset()).isZero();
        assertThat(Batches.readAll(log, 0)).extracting(Batches.Read::value).containsExactly("ok");
    }

    @Test
    void deleteRecordsMovesTheStartOffsetDurably() throws Exception {
        LogConfig config = LogConfig.builder().segmentBytes(1024).build();
        PartitionLog log = open(config);
        for (int i = 0; i < 40; i++) {
            log.append(Batches.of(i, "v" + i)).join();
        }
        int before = log.segmentCount();

        assertThat(log.deleteRecordsBefore(25)).isEqualTo(25);
        assertThat(log.segmentCount()).isLessThan(before);
        assertThatThrownBy(() -> log.read(24, 100)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(Batches.readAll(log, 25)).first().extracting(Batches.Read::offset).isEqualTo(25L);

        PartitionLog reopened = reopen(config);
        assertThat(reopened.logStartOffset()).isEqualTo(25);
    }

    @Test
    void flushPolicyNoneCompletesAppendsWithoutWaitingForFsync() throws Exception {
        PartitionLog log = open(LogConfig.builder().flushPolicy(FlushPolicy.NONE).build());
        AppendResult result = log.append(Batches.of(1, "a")).getNow(null);

        assertThat(result).isNotNull();
        assertThat(log.highWatermark()).isEqualTo(1);
    }
}
