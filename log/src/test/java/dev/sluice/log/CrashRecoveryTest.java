package dev.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends and is killed with SIGKILL at a random moment, again and again on the same log. After each
 * kill every acknowledged record reads back byte for byte, the log is a contiguous prefix with nothing torn in it,
 * and appends continue. (A kill keeps the page cache; {@link PowerCutTest} covers losing it.)
 */
class CrashRecoveryTest {
    private static final int TRIALS = Integer.getInteger("sluice.crash.trials", 20);

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesSigkillAndAppendsContinue() throws Exception {
        Random random = new Random(7);
        Map<Long, Long> acknowledged = new TreeMap<>();
        long seed = 1;
        long expectedStart = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Process child = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", CrashAppender.class.getName(), dir.toString(),
                    Long.toString(seed))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            seed += 10_000_000_000L;
            AtomicLong startHighWatermark = new AtomicLong(-1);
            AtomicInteger acks = new AtomicInteger();
            Map<Long, Long> trialAcks = new TreeMap<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        String[] parts = line.split(" ");
                        if (parts[0].equals("start")) {
                            startHighWatermark.set(Long.parseLong(parts[1]));
                        } else if (parts[0].equals("ack") && parts.length == 3) {
                            synchronized (trialAcks) {
                                trialAcks.put(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                            }
                            acks.incrementAndGet();
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // The child was killed mid-line.
                }
            });
            int killAfter = random.nextInt(1, 400);
            await().atMost(Duration.ofSeconds(60)).until(() -> acks.get() >= killAfter || !child.isAlive());
            assertThat(child.isAlive()).as("child still appending").isTrue();
            child.destroyForcibly().waitFor();
            reader.join();
            synchronized (trialAcks) {
                acknowledged.putAll(trialAcks);
            }
            assertThat(startHighWatermark.get()).as("trial %d starts where the last one ended", trial)
                    .isEqualTo(expectedStart);

            try (LogManager manager = LogManager.open(dir, CrashAppender.config())) {
                PartitionLog log = manager.partition(CrashAppender.TP).orElseThrow();
                long high = verify(log, acknowledged);
                long next = log.append(Batches.sized(seed, 1, CrashAppender.RECORD_BYTES,
                        org.apache.kafka.common.compress.Compression.NONE)).join().baseOffset();
                assertThat(next).as("appends continue after the recovered end").isEqualTo(high);
                acknowledged.put(next, seed);
                seed++;
                expectedStart = next + 1;
            }
        }
        assertThat(acknowledged.size()).isGreaterThan(TRIALS);
    }

    /** Every acknowledged offset holds its record; every offset up to the high watermark holds a valid record. */
    private static long verify(PartitionLog log, Map<Long, Long> acknowledged) throws Exception {
        long high = log.highWatermark();
        List<Long> offsets = new ArrayList<>();
        Map<Long, byte[]> values = new TreeMap<>();
        long next = 0;
        while (next < high) {
            ByteBuffer bytes = log.read(next, 1 << 20).records().read();
            for (RecordBatch batch : MemoryRecords.readableRecords(bytes).batches()) {
                batch.ensureValid();
                for (Record record : batch) {
                    offsets.add(record.offset());
                    byte[] value = new byte[record.valueSize()];
                    record.value().get(value);
                    values.put(record.offset(), value);
                }
            }
            next = offsets.getLast() + 1;
        }
        for (int i = 0; i < offsets.size(); i++) {
            assertThat(offsets.get(i)).as("offsets are contiguous").isEqualTo((long) i);
        }
        assertThat((long) offsets.size()).isEqualTo(high);
        for (Map.Entry<Long, Long> ack : acknowledged.entrySet()) {
            assertThat(ack.getKey()).as("acknowledged offset survives").isLessThan(high);
            byte[] expected = new byte[CrashAppender.RECORD_BYTES];
            Batches.fill(expected, ack.getValue() * 31);
            assertThat(values.get(ack.getKey())).as("bytes at offset %d", ack.getKey()).isEqualTo(expected);
        }
        return high;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
