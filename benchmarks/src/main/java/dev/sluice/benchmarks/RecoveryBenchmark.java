package dev.sluice.benchmarks;

import dev.sluice.log.FlushPolicy;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import dev.sluice.log.PartitionLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.LoggerFactory;

/**
 * Time to open a 1 GiB partition after an unclean stop: {@link LogManager#open} has to scan the segment,
 * CRC-check every batch, rebuild the indexes and force what it kept to disk.
 *
 * <p>A plain main, not JMH: recovery is a one-off on a cold JVM, and the interesting number is that single run,
 * not a steady state. Every step runs in its own JVM so each measurement sees a fresh JVM, as a restarted broker
 * does:
 * <ol>
 *   <li>a child writes {@code --bytes} (1 GiB) of {@linkplain RecordBatches 16 KiB batches} with {@code flush=NONE}
 *       into one segment and is then killed with SIGKILL, leaving no {@code clean-shutdown} marker and dirty pages;
 *   <li>{@code after-kill}: a fresh JVM recovers it. The page cache still holds the data, as after a process crash,
 *       but it is dirty, so recovery's closing fsync writes most of the gigabyte;
 *   <li>{@code cold-cache}: the files a clean close leaves are deleted again and the files dropped from the page cache
 *       ({@code dd iflag=nocache count=0}, i.e. {@code posix_fadvise(DONTNEED)}), as after a power cut: recovery
 *       reads the gigabyte from disk;
 *   <li>{@code warm-cache}: the same files deleted again, data clean and cached: the scan and CRC alone.
 * </ol>
 * The {@code recovery-point} file is deleted before every run so the whole partition is scanned: the worst case.
 * So is the {@code producer-state} snapshot a clean close leaves: a crash before the segment's first roll leaves
 * none, and without it the engine rebuilds producer state from the log.
 * The high watermark after recovery is checked against what the writer reported, so a fast but lossy recovery
 * cannot pass.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.RecoveryBenchmark [--bytes N] [--out FILE]
 *     [--batch-records N] [--value-bytes N]
 * </pre>
 * The last two change the batch from the 16 × 1 KiB, to see how recovery scales with the batch count.
 * The scratch directory is under {@code $BENCH_DIR}, see {@link BenchDirectory}.
 */
public final class RecoveryBenchmark {
    private static final TopicPartition TP = new TopicPartition("recovery", 0);
    private static final LogConfig CONFIG = LogConfig.builder().flushPolicy(FlushPolicy.NONE).build();
    private static final String CLEAN_SHUTDOWN = "clean-shutdown";
    private static final String RECOVERY_POINT = "recovery-point";
    private static final String PRODUCER_STATE = "producer-state";

    private RecoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("write")) {
            write(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else if (args.length == 2 && args[0].equals("recover")) {
            recover(Path.of(args[1]));
        } else {
            long bytes = 1L << 30;
            int records = RecordBatches.RECORDS;
            int valueBytes = RecordBatches.VALUE_BYTES;
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--bytes" -> bytes = Long.parseLong(args[++i]);
                    case "--batch-records" -> records = Integer.parseInt(args[++i]);
                    case "--value-bytes" -> valueBytes = Integer.parseInt(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("usage: RecoveryBenchmark [--bytes N]"
                            + " [--batch-records N] [--value-bytes N] [--out FILE]");
                }
            }
            run(bytes, records, valueBytes, out);
        }
    }

    /** One measured recovery. */
    record Run(String name, long cachedBytesBefore, double openMs, long highWatermark) {
    }

    private static void run(long bytes, int records, int valueBytes, Path out) throws Exception {
        try (BenchDirectory dir = BenchDirectory.create("recovery-")) {
            Path partition = dir.path().resolve(TP.topic() + "-" + TP.partition());
            long[] written = writeAndKill(dir.path(), bytes, records, valueBytes);
            long highWatermark = written[0];
            long logBytes = written[1];
            System.out.printf(Locale.ROOT, "wrote %,d bytes (%,d records, %d a batch) and killed the writer;"
                    + " clean-shutdown %s, recovery-point %s, producer-state %s%n", logBytes, highWatermark,
                    records, presence(partition, CLEAN_SHUTDOWN), presence(partition, RECOVERY_POINT),
                    presence(partition, PRODUCER_STATE));

            List<Run> runs = new ArrayList<>();
            makeUnclean(partition);
            runs.add(measure("after-kill", dir.path(), partition, highWatermark));

            makeUnclean(partition);
            for (Path file : files(partition)) {
                PageCache.drop(file);
            }
            runs.add(measure("cold-cache", dir.path(), partition, highWatermark));

            makeUnclean(partition);
            runs.add(measure("warm-cache", dir.path(), partition, highWatermark));

            String json = toJson(logBytes, highWatermark, batchBytes(records, valueBytes), runs);
            if (out != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, json);
            }
            System.out.println(json);
        }
    }

    private static String presence(Path dir, String file) {
        return Files.exists(dir.resolve(file)) ? "present" : "absent";
    }

    /** Deletes what a clean close left and a crash would not have, so the next open recovers the whole partition. */
    private static void makeUnclean(Path partition) throws IOException {
        Files.deleteIfExists(partition.resolve(CLEAN_SHUTDOWN));
        Files.deleteIfExists(partition.resolve(RECOVERY_POINT));
        Files.deleteIfExists(partition.resolve(PRODUCER_STATE));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(Files::isRegularFile).toList();
        }
    }

    private static int batchBytes(int records, int valueBytes) {
        return RecordBatches.build(records, valueBytes).remaining();
    }

    private static long[] writeAndKill(Path dir, long bytes, int records, int valueBytes) throws Exception {
        Process writer = child("write", dir.toString(), Long.toString(bytes), Integer.toString(records),
                Integer.toString(valueBytes)).start();
        Thread reaper = new Thread(writer::destroyForcibly);
        // Interrupted by Ctrl-C, the script must not leave a writer behind.
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            String line = awaitLine(writer, "WRITTEN");
            String[] parts = line.split(" ");
            return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
        } finally {
            // SIGKILL: no shutdown hook, no close, no clean-shutdown marker; unflushed pages stay dirty.
            writer.destroyForcibly().waitFor();
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
    }

    private static Run measure(String name, Path dir, Path partition, long expectedHighWatermark) throws Exception {
        long cached = 0;
        for (Path file : files(partition)) {
            cached += PageCache.residentBytes(file);
        }
        Process recoverer = child("recover", dir.toString()).start();
        String line = awaitLine(recoverer, "RECOVERED");
        if (recoverer.waitFor() != 0) {
            throw new IllegalStateException(name + ": the recovering JVM failed");
        }
        String[] parts = line.split(" ");
        double ms = Double.parseDouble(parts[1]);
        long highWatermark = Long.parseLong(parts[2]);
        if (highWatermark != expectedHighWatermark) {
            throw new IllegalStateException(name + ": recovered to offset " + highWatermark + ", the writer had "
                    + expectedHighWatermark);
        }
        System.out.printf(Locale.ROOT, "%-10s  page cache held %,d bytes  open took %.0f ms  high watermark %,d%n",
                name, cached, ms, highWatermark);
        return new Run(name, cached, ms, highWatermark);
    }

    private static ProcessBuilder child(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms512m", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                RecoveryBenchmark.class.getName()));
        command.addAll(List.of(args));
        // The child's log lines (including the engine's "recovered in N ms") go straight to our stderr.
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    }

    private static String awaitLine(Process process, String prefix) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith(prefix + " ")) {
                return line;
            }
        }
        throw new IllegalStateException("child exited without printing " + prefix);
    }

    /** Child: writes the partition and waits to be killed. */
    private static void write(Path dir, long bytes, int records, int valueBytes) throws IOException {
        LogManager logs = LogManager.open(dir, CONFIG);
        PartitionLog log = logs.createPartition(TP, CONFIG);
        ByteBuffer batch = RecordBatches.build(records, valueBytes);
        long batches = bytes / batch.remaining();
        for (long i = 0; i < batches; i++) {
            batch.clear();
            log.append(batch).join();
        }
        System.out.println("WRITTEN " + log.highWatermark() + " " + log.sizeInBytes());
        System.out.flush();
        // Wait for the SIGKILL. Should the parent die first, its end of our stdin closes: leave without a clean
        // close rather than linger.
        while (System.in.read() >= 0) {
            // Nothing is ever sent.
        }
        Runtime.getRuntime().halt(1);
    }

    /** Child: opens the log manager, which recovers the partition, and reports how long that took. */
    private static void recover(Path dir) throws Exception {
        // Logging starts with the broker, not with recovery: keep its set-up (~0.4 s of logback) out of the timing.
        LoggerFactory.getLogger(RecoveryBenchmark.class).info("recovering {}", dir);
        long started = System.nanoTime();
        LogManager logs = LogManager.open(dir, CONFIG);
        long elapsed = System.nanoTime() - started;
        PartitionLog log = logs.partition(TP).orElseThrow();
        System.out.printf(Locale.ROOT, "RECOVERED %.3f %d%n", elapsed / 1e6, log.highWatermark());
        System.out.flush();
        logs.close();
    }

    private static String toJson(long logBytes, long highWatermark, int batchBytes, List<Run> runs) {
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"logBytes\": ").append(logBytes)
                .append(",\n  \"records\": ").append(highWatermark)
                .append(",\n  \"batchBytes\": ").append(batchBytes)
                .append(",\n  \"runs\": [\n");
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            json.append(String.format(Locale.ROOT,
                    "    {\"name\": \"%s\", \"cachedBytesBefore\": %d, \"openMs\": %.3f}%s%n",
                    run.name(), run.cachedBytesBefore(), run.openMs(), i < runs.size() - 1 ? "," : ""));
        }
        json.append("  ],\n  \"maxOpenMs\": ")
                .append(String.format(Locale.ROOT, "%.3f", runs.stream().mapToDouble(Run::openMs).max().orElse(0)))
                .append("\n}\n");
        return json.toString();
    }
}
