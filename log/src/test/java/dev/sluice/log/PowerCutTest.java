package dev.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability against a power cut, not just a killed process: a killed process leaves the page cache behind, a power
 * cut does not. Appenders write while the power goes at a random moment; the file layer then forgets whatever was
 * not forced. Every acknowledged record must survive, the log must be a clean prefix of what was written, and
 * appends must continue.
 */
class PowerCutTest {
    private static final TopicPartition TP = new TopicPartition("power", 0);
    private static final int TRIALS = Integer.getInteger("sluice.crash.trials", 20);

    @TempDir
    Path dir;

    @Test
    void acknowledgedRecordsSurviveAPowerCutAndNothingTornIsVisible() throws Exception {
        LogConfig config = LogConfig.builder().segmentBytes(8 * 1024).indexIntervalBytes(256).build();
        Random random = new Random(42);
        // Expected value at each offset, for every append whose offset is known (acknowledged or not).
        Map<Long, String> written = new ConcurrentHashMap<>();
        ConcurrentSkipListSet<Long> acknowledged = new ConcurrentSkipListSet<>();
        AtomicLong sequence = new AtomicLong();

        for (int trial = 0; trial < TRIALS; trial++) {
            PowerCutFileLayer layer = new PowerCutFileLayer();
            LogManager manager = LogManager.open(dir, config, layer, Clock.systemUTC(), Duration.ofHours(1),
                    Duration.ofMillis(1));
            PartitionLog log = manager.createPartition(TP, config);
            long startHighWatermark = log.highWatermark();

            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(3);
            List<Thread> appenders = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                appenders.add(Thread.ofPlatform().start(() -> {
                    started.countDown();
                    while (!stop.get()) {
                        String value = "record-" + sequence.incrementAndGet() + "-" + "x".repeat(100);
                        ByteBuffer batch = Batches.of(1_000, value);
                        batch.putLong(0, -1);
                        var future = log.append(batch);
                        // The base offset is assigned in the buffer before append returns once the batch is
                        // written. A failed future does not mean it is not on disk: the outcome is unknown.
                        long offset = batch.getLong(0);
                        if (offset >= 0) {
                            written.put(offset, value);
                            future.thenAccept(result -> acknowledged.add(result.baseOffset()));
                        }
                    }
                }));
            }
            started.await();
            Thread.sleep(random.nextInt(5, 60));
            layer.cut(random);
            stop.set(true);
            for (Thread appender : appenders) {
                appender.join();
            }
            manager.close();

            String afterCut = listing();
            try {
                verifyAndAppend(trial, startHighWatermark, config, written, acknowledged);
            } catch (AssertionError e) {
                // A failure here has been seen once in hundreds of thousands of trials: keep what explains it.
                throw new AssertionError(e.getMessage() + "\n-- what the cut did:\n"
                        + String.join("\n", layer.cutReport()) + "\n-- files after the cut:\n" + afterCut
                        + "\n-- files after recovery:\n" + listing(), e);
            }
        }
        assertThat(acknowledged).isNotEmpty();
    }

    private void verifyAndAppend(int trial, long startHighWatermark, LogConfig config, Map<Long, String> written,
                                 ConcurrentSkipListSet<Long> acknowledged) throws Exception {
        try (LogManager reopened = LogManager.open(dir, config)) {
            PartitionLog recovered = reopened.partition(TP).orElseThrow();
            long high = recovered.highWatermark();
            List<Batches.Read> records = Batches.readAll(recovered, recovered.logStartOffset());

            assertThat(high).as("trial %d keeps what the previous trial left", trial)
                    .isGreaterThanOrEqualTo(startHighWatermark);
            assertThat(records).hasSize((int) (high - recovered.logStartOffset()));
            for (int i = 0; i < records.size(); i++) {
                Batches.Read read = records.get(i);
                assertThat(read.offset()).isEqualTo(recovered.logStartOffset() + i);
                assertThat(read.value()).as("value at offset %d", read.offset())
                        .isEqualTo(written.get(read.offset()));
            }
            for (long offset : acknowledged) {
                assertThat(offset).as("acknowledged offset %d survives", offset).isLessThan(high);
            }
            // Offsets of records that did not survive are free again.
            written.keySet().removeIf(offset -> offset >= high);
            acknowledged.removeIf(offset -> offset >= high);

            long next = recovered.append(Batches.of(1_000, "after-cut-" + trial)).join().baseOffset();
            assertThat(next).isEqualTo(high);
            written.put(next, "after-cut-" + trial);
            acknowledged.add(next);
            String stored = Batches.records(recovered.read(next, 1024)).getFirst().value();
            assertThat(stored.getBytes(StandardCharsets.UTF_8)).isEqualTo(
                    ("after-cut-" + trial).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The partition directory: every file with its size, and the recovery point. */
    private String listing() throws java.io.IOException {
        Path partition = dir.resolve(TP.topic() + "-" + TP.partition());
        StringBuilder out = new StringBuilder();
        try (var files = java.nio.file.Files.list(partition)) {
            for (Path file : files.sorted().toList()) {
                out.append(file.getFileName()).append(' ').append(java.nio.file.Files.size(file));
                if (file.getFileName().toString().equals("recovery-point")) {
                    out.append(" = ").append(java.nio.file.Files.readString(file).trim());
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
