package dev.sluice.benchmarks;

import dev.sluice.log.FlushPolicy;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import dev.sluice.log.LogSlice;
import dev.sluice.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * Sequential read of a partition through {@link PartitionLog#read} and {@link LogSlice#transferTo}, against the
 * same bytes sent straight from the segment file with {@link FileChannel#transferTo}: the ratio is the log's
 * overhead (offset lookup, header read, result objects) on a consumer's fetch.
 *
 * <p>One consumer reads a log of {@code logMiB} MiB (written in setup, so it is in the page cache) from the start,
 * {@code fetchBytes} per read (1 MiB is Kafka's default {@code max.partition.fetch.bytes}), wrapping at the end. The
 * file baseline sends the same byte ranges and resumes at the same whole batch as the log.
 *
 * <p>The sink is {@code /dev/null} opened as a {@link FileChannel}, so the JDK uses {@code sendfile} and the kernel
 * only takes page references without copying: the cheapest sink there is, which makes the log's per-read overhead
 * as visible as it can be. A socket would add a copy per byte to both sides and hide it.
 *
 * <p>{@link #interleaved} is the one to compare with: each op reads one chunk both ways, in alternating order, and
 * times each way with {@link System#nanoTime()} (tens of nanoseconds against tens of microseconds). Run one after
 * the other, {@link #logTransferTo} and {@link #fileTransferTo} differ by more than the log's overhead whenever the
 * machine's load changes between them, which on a shared machine is most of the time; interleaved, both see the
 * same load. Its {@code logNanos}, {@code fileNanos} and {@code bytesEach} counters are totals over the measured
 * iterations: {@code bytesEach / logNanos} is the log's rate, {@code bytesEach / fileNanos} the baseline's.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class LogReadBenchmark {
    private static final TopicPartition TP = new TopicPartition("read", 0);

    @Param({"1048576"})
    public int fetchBytes;

    @Param({"256"})
    public int logMiB;

    private BenchDirectory dir;
    private LogManager logs;
    private PartitionLog log;
    private FileChannel segmentFile;
    private long segmentBytes;
    private long highWatermark;
    private FileChannel sink;

    @Setup(Level.Trial)
    public void writeLog() throws Exception {
        if (fetchBytes < RecordBatches.BATCH_BYTES) {
            throw new IllegalArgumentException("fetchBytes must hold at least one batch of "
                    + RecordBatches.BATCH_BYTES + " bytes");
        }
        dir = BenchDirectory.create("read-");
        // flush=NONE: the batches are readable as soon as written; the explicit flush below makes them durable.
        LogConfig config = LogConfig.builder().flushPolicy(FlushPolicy.NONE).build();
        logs = LogManager.open(dir.path(), config);
        log = logs.createPartition(TP, config);
        ByteBuffer batch = RecordBatches.build(false);
        long batches = ((long) logMiB << 20) / RecordBatches.BATCH_BYTES;
        for (long i = 0; i < batches; i++) {
            batch.clear();
            log.append(batch).join();
        }
        log.flush();
        highWatermark = log.highWatermark();
        if (log.segmentCount() != 1) {
            throw new IllegalStateException("the baseline reads one segment file, the log has " + log.segmentCount());
        }
        Path segment = onlySegment(dir.path().resolve(TP.topic() + "-" + TP.partition()));
        segmentFile = FileChannel.open(segment, StandardOpenOption.READ);
        segmentBytes = segmentFile.size();
        sink = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);
    }

    private static Path onlySegment(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).findFirst().orElseThrow();
        }
    }

    @TearDown(Level.Trial)
    public void deleteLog() throws IOException {
        sink.close();
        segmentFile.close();
        logs.close();
        dir.close();
    }

    /** Where the single consumer is: an offset for the log, a byte position for the file baseline. */
    @State(Scope.Thread)
    public static class Cursor {
        long offset;
        long position;
    }

    /** Nanoseconds spent in each path and bytes each path sent, summed over the measured iterations. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PathTimes {
        public long logNanos;
        public long fileNanos;
        public long bytesEach;
        long ops;
    }

    @Benchmark
    @Threads(1)
    public long interleaved(Cursor cursor, PathTimes times, Control control) throws IOException {
        if (cursor.offset >= highWatermark) {
            cursor.offset = 0;
            cursor.position = 0;
        }
        long logNanos;
        long fileNanos;
        long sent;
        long sentFromFile;
        // Alternate which path goes first, so neither always finds the page structures hot in the CPU caches.
        if ((times.ops++ & 1) == 0) {
            long start = System.nanoTime();
            sent = sendFromLog(cursor);
            long middle = System.nanoTime();
            sentFromFile = sendFromFile(cursor);
            logNanos = middle - start;
            fileNanos = System.nanoTime() - middle;
        } else {
            long start = System.nanoTime();
            sentFromFile = sendFromFile(cursor);
            long middle = System.nanoTime();
            sent = sendFromLog(cursor);
            fileNanos = middle - start;
            logNanos = System.nanoTime() - middle;
        }
        long expectedPosition = cursor.offset / RecordBatches.RECORDS * RecordBatches.BATCH_BYTES;
        if (sent != sentFromFile || cursor.position != expectedPosition) {
            throw new IllegalStateException("log and file baseline went out of step at offset " + cursor.offset);
        }
        if (control.startMeasurement && !control.stopMeasurement) {
            times.logNanos += logNanos;
            times.fileNanos += fileNanos;
            times.bytesEach += sent;
        }
        return sent;
    }

    @Benchmark
    @Threads(1)
    public long logTransferTo(Cursor cursor, ByteCounter counter, Control control) throws IOException {
        if (cursor.offset >= highWatermark) {
            cursor.offset = 0;
        }
        long sent = sendFromLog(cursor);
        counter.add(control, sent);
        return sent;
    }

    @Benchmark
    @Threads(1)
    public long fileTransferTo(Cursor cursor, ByteCounter counter, Control control) throws IOException {
        if (cursor.position >= segmentBytes) {
            cursor.position = 0;
        }
        long sent = sendFromFile(cursor);
        counter.add(control, sent);
        return sent;
    }

    private long sendFromLog(Cursor cursor) throws IOException {
        LogSlice slice = log.read(cursor.offset, fetchBytes).records();
        long sent = slice.transferTo(sink);
        // A slice may end inside a batch, as in Kafka; the consumer fetches that batch again next time.
        cursor.offset += (long) (slice.size() / RecordBatches.BATCH_BYTES) * RecordBatches.RECORDS;
        return sent;
    }

    private long sendFromFile(Cursor cursor) throws IOException {
        int size = (int) Math.min(fetchBytes, segmentBytes - cursor.position);
        long sent = 0;
        while (sent < size) {
            long n = segmentFile.transferTo(cursor.position + sent, size - sent, sink);
            if (n <= 0) {
                break;
            }
            sent += n;
        }
        cursor.position += (long) (size / RecordBatches.BATCH_BYTES) * RecordBatches.BATCH_BYTES;
        return sent;
    }
}
