package dev.sluice.log;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Child process for {@link CrashRecoveryTest}: opens the log, reports where it starts, then appends from two threads
 * as fast as it can and prints one line per acknowledged append, until it is killed.
 *
 * <p>Lines: {@code start <highWatermark>} once, then {@code ack <offset> <seed>} where the record's value is
 * {@link Batches#fill}ed from the seed.
 */
public final class CrashAppender {
    static final TopicPartition TP = new TopicPartition("crash", 0);
    static final int RECORD_BYTES = 300;

    private CrashAppender() {
    }

    static LogConfig config() {
        return LogConfig.builder().segmentBytes(64 * 1024).indexIntervalBytes(1024).build();
    }

    public static void main(String[] args) throws Exception {
        // The test holds this process's stdin: when the test JVM dies, stdin ends and so does this process, so no
        // orphan keeps writing after an interrupted build.
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (System.in.read() != -1) {
                    // Nothing is sent; this only waits for the end of the stream.
                }
            } catch (java.io.IOException ignored) {
                // Treated as the end of the stream.
            }
            Runtime.getRuntime().halt(3);
        });
        Path dir = Path.of(args[0]);
        long firstSeed = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        LogManager manager = LogManager.open(dir, config());
        PartitionLog log = manager.createPartition(TP, config());
        out.println("start " + log.highWatermark());
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            long seedBase = firstSeed + t * 1_000_000_000L;
            threads[t] = Thread.ofPlatform().start(() -> {
                for (long seed = seedBase; ; seed++) {
                    ByteBuffer batch = Batches.sized(seed, 1, RECORD_BYTES,
                            org.apache.kafka.common.compress.Compression.NONE);
                    CompletableFuture<AppendResult> future = log.append(batch);
                    long s = seed;
                    AppendResult result = future.join();
                    synchronized (out) {
                        out.println("ack " + result.baseOffset() + " " + s);
                    }
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
