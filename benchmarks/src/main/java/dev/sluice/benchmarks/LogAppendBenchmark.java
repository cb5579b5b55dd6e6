package dev.sluice.benchmarks;

import dev.sluice.log.AppendResult;
import dev.sluice.log.FlushPolicy;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import dev.sluice.log.PartitionLog;
import dev.sluice.log.internal.RealPartitionLog;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Append throughput of one partition with 8 concurrent appenders, each appending one
 * {@linkplain RecordBatches 16 KiB batch} at a time and waiting for it, the way 8 producers with one request in
 * flight each would.
 *
 * <p>With {@code flush=ALWAYS} an append completes after the group-commit fsync that covers it, so this measures
 * how much of the disk's bandwidth group commit recovers from 8 small synchronous writers; the script compares the
 * {@code bytes} rate with {@code dd conv=fdatasync} on the same filesystem. With {@code flush=NONE} it measures the
 * write path into the page cache (and the stalls of segment rolls), for contrast.
 *
 * <p>Each iteration gets a fresh partition, deleted afterwards, so disk usage stays bounded and every iteration
 * starts from the same state (empty active segment, no dirty pages of the previous one). Each thread reuses its own
 * batch buffer: the log overwrites only the base offset, so the benchmark itself allocates nothing. The
 * {@code fsyncs} counter reports fsyncs a second, from which batches per fsync follow.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class LogAppendBenchmark {
    private static final TopicPartition TP = new TopicPartition("append", 0);

    @Param({"ALWAYS", "NONE"})
    public FlushPolicy flush;

    /** {@code heap} (as kafka-clients builds batches) or {@code direct} (as a pooled network buffer would be). */
    @Param({"heap"})
    public String buffer;

    private BenchDirectory dir;
    private LogManager logs;
    private PartitionLog log;

    @Setup(Level.Trial)
    public void createDirectory() throws Exception {
        dir = BenchDirectory.create("append-");
    }

    @Setup(Level.Iteration)
    public void openLog() throws Exception {
        dir.clear();
        logs = LogManager.open(dir.path(), LogConfig.defaults());
        log = logs.createPartition(TP, LogConfig.builder().flushPolicy(flush).build());
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

    /** Per-thread batch buffer, reused for every append of the thread. */
    @State(Scope.Thread)
    public static class Appender {
        ByteBuffer batch;

        @Setup(Level.Trial)
        public void build(LogAppendBenchmark benchmark) {
            batch = RecordBatches.build(benchmark.buffer);
        }
    }

    /**
     * Fsyncs done by the group committer while the iteration is measured, as a rate; with the op rate it gives
     * batches per fsync. Only thread 0 reports, so the sum over threads is not multiplied by 8. It copies the log's
     * count on every append rather than in a teardown, whose order relative to the log's own teardown JMH does not
     * promise.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class FsyncCounter {
        public long fsyncs;
        boolean reporter;
        long first;

        @Setup(Level.Iteration)
        public void reset(ThreadParams thread) {
            fsyncs = 0;
            first = -1;
            reporter = thread.getThreadIndex() == 0;
        }

        void update(Control control, PartitionLog log) {
            if (reporter && control.startMeasurement && !control.stopMeasurement
                    && log instanceof RealPartitionLog real) {
                long now = real.fsyncCount();
                if (first < 0) {
                    first = now;
                }
                fsyncs = now - first;
            }
        }
    }

    /** Appends a thread keeps in flight in {@link #appendPipelined}: Kafka producers' default of 5 requests. */
    @Param({"5"})
    public int inFlight;

    /**
     * Per-thread ring of appends in flight. The batch buffer can be reused at once: {@code append} has written it to
     * the segment by the time it returns, and only the fsync is pending.
     */
    @State(Scope.Thread)
    public static class Pipeline {
        java.util.concurrent.CompletableFuture<?>[] ring;
        int next;

        @Setup(Level.Iteration)
        public void reset(LogAppendBenchmark benchmark) {
            ring = new java.util.concurrent.CompletableFuture<?>[benchmark.inFlight];
            next = 0;
        }
    }

    /**
     * 8 appenders that each keep {@link #inFlight} appends outstanding, as 8 producers with
     * {@code max.in.flight.requests.per.connection=5} do: an op waits for the thread's oldest append and issues a
     * new one. Group commit then covers up to 8 x 5 batches per fsync.
     */
    @Benchmark
    @Threads(8)
    public Object appendPipelined(Appender appender, Pipeline pipeline, ByteCounter counter, FsyncCounter fsyncs,
                                  Control control) {
        java.util.concurrent.CompletableFuture<?> oldest = pipeline.ring[pipeline.next];
        Object completed = oldest == null ? null : oldest.join();
        ByteBuffer batch = appender.batch;
        batch.clear();
        pipeline.ring[pipeline.next] = log.append(batch);
        pipeline.next = (pipeline.next + 1) % pipeline.ring.length;
        counter.add(control, batch.remaining());
        fsyncs.update(control, log);
        return completed;
    }

    @Benchmark
    @Threads(8)
    public AppendResult append(Appender appender, ByteCounter counter, FsyncCounter fsyncs, Control control) {
        ByteBuffer batch = appender.batch;
        batch.clear();
        AppendResult result = log.append(batch).join();
        counter.add(control, batch.remaining());
        fsyncs.update(control, log);
        return result;
    }
}
