package dev.sluice.benchmarks;

import dev.sluice.log.AppendCallback;
import dev.sluice.log.AppendResult;
import dev.sluice.log.FlushPolicy;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import dev.sluice.log.PartitionLog;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.apache.kafka.common.TopicPartition;
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

/**
 * Heap allocated by the append path, per {@linkplain RecordBatches 16 KiB batch}: run it with {@code -prof gc} and
 * read {@code gc.alloc.rate.norm} (bytes per op, one op being one append).
 *
 * <p>One thread and {@code flush=NONE}, so that what is counted is the append path itself (validation, offset
 * assignment, the file write, indexing, the result) and not the group committer's wake-ups or a waiting thread's
 * parking. The batch buffer is built once and reused, its position reset before each append, so every byte counted
 * is the log's. The result is returned to JMH so that escape analysis cannot remove what the log hands back.
 *
 * <p>{@code producer=idempotent} appends batches with a producer id and successive sequence numbers, as kafka-clients
 * sends by default since 3.0, so the log's producer-state bookkeeping is counted too. The benchmark rewrites the
 * sequence and CRC in place, which allocates nothing (it costs a CRC, which lowers the op rate, not the bytes/op).
 *
 * <p>Each iteration gets a fresh partition (and so a fresh producer state, sequences restarting at 0), so the page
 * cache fills with at most one iteration of dirty data.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class AppendAllocationBenchmark {
    private static final TopicPartition TP = new TopicPartition("alloc", 0);

    /** {@code heap} (as kafka-clients builds batches) or {@code direct} (as a pooled network buffer would be). */
    @Param({"heap"})
    public String buffer;

    /** {@code none}: batches without a producer id; {@code idempotent}: one producer's successive batches. */
    @Param({"none"})
    public String producer;

    private BenchDirectory dir;
    private LogManager logs;
    private PartitionLog log;
    private ByteBuffer batch;
    private boolean idempotent;
    private int nextSequence;
    private final CRC32C crc = new CRC32C();

    @Setup(Level.Trial)
    public void createDirectory() throws Exception {
        dir = BenchDirectory.create("alloc-");
        idempotent = switch (producer) {
            case "none" -> false;
            case "idempotent" -> true;
            default -> throw new IllegalArgumentException("producer must be none or idempotent, not " + producer);
        };
        boolean direct = RecordBatches.isDirect(buffer);
        batch = idempotent ? RecordBatches.buildIdempotent(direct) : RecordBatches.build(direct);
    }

    @Setup(Level.Iteration)
    public void openLog() throws Exception {
        dir.clear();
        logs = LogManager.open(dir.path(), LogConfig.defaults());
        log = logs.createPartition(TP, LogConfig.builder().flushPolicy(FlushPolicy.NONE).build());
        nextSequence = 0;
    }

    @TearDown(Level.Iteration)
    public void closeLog() {
        logs.close();
        dir.clear();
    }

    @TearDown(Level.Trial)
    public void deleteDirectory() {
        dir.close();
    }

    /** What the last append was told, so that the callback's work cannot be optimised away. */
    private long lastBaseOffset;
    private final AppendCallback callback = (base, last, logStart, failure) -> {
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        lastBaseOffset = base;
    };

    /** The broker's form: a callback instead of a future, the same callback object every time. */
    @Benchmark
    @Threads(1)
    public long appendWithCallback() {
        if (idempotent) {
            RecordBatches.setBaseSequence(batch, nextSequence, crc);
            nextSequence += RecordBatches.RECORDS;
        } else {
            batch.clear();
        }
        log.append(batch, callback);
        return lastBaseOffset;
    }

    /** The convenience form: a future completed with a result object. */
    @Benchmark
    @Threads(1)
    public AppendResult append() {
        if (idempotent) {
            RecordBatches.setBaseSequence(batch, nextSequence, crc);
            nextSequence += RecordBatches.RECORDS;
        } else {
            batch.clear();
        }
        return log.append(batch).join();
    }
}
