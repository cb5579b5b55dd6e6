package dev.sluice.sinks.internal;

import dev.sluice.sinks.Staging;
import dev.sluice.sinks.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a sink's closed files in order, one at a time, on its own thread; a failed import is retried with
 * exponential backoff (100 ms doubling to 30 s), the error kept in status, so the writer goes on writing slices.
 * After each import the highest imported offset per partition is published for the writer to commit.
 *
 * <p>Thread-safe: the writer enqueues, the importer's thread imports; {@link #stop()} waits for the import in
 * progress to end.
 */
final class Importer {
    private static final Logger LOG = LoggerFactory.getLogger(Importer.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /**
     * A closed file waiting for its import; {@code sliceSizes} maps each staged slice to {records, bytes, CRC32C}.
     */
    record PendingFile(String fileId, List<String> stagedSlices, List<Target.Range> ranges, long rows, long bytes,
                       Map<String, long[]> sliceSizes) {
    }

    /** A staged slice whose bytes are no longer those written: it must not reach the target. */
    static final class CorruptSliceException extends Exception {
        CorruptSliceException(String message) {
            super(message);
        }
    }

    private final String sink;
    private final String table;
    private final List<Target.Column> columns;
    private final String compression;
    private final Target target;
    private final Staging staging;
    private final StatusBoard status;
    private final AtomicLong localBytes;
    private final SinkMeters meters;
    private final LinkedBlockingQueue<PendingFile> queue = new LinkedBlockingQueue<>();
    private final Map<TopicPartition, Long> imported = new ConcurrentHashMap<>();
    private final Object wakeUp = new Object();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean stale;

    Importer(String sink, String table, List<Target.Column> columns, String compression, Target target,
             Staging staging, StatusBoard status, AtomicLong localBytes, SinkMeters meters) {
        this.sink = sink;
        this.table = table;
        this.columns = columns;
        this.compression = compression;
        this.target = target;
        this.staging = staging;
        this.status = status;
        this.localBytes = localBytes;
        this.meters = meters;
        this.thread = Thread.ofVirtual().name("sink-importer-" + sink).start(this::run);
    }

    void enqueue(PendingFile file) {
        queue.add(file);
    }

    /** The highest offset imported per partition since this importer started. */
    Map<TopicPartition, Long> imported() {
        return imported;
    }

    /** Whether an import overlapped earlier imports in part, so the writer must start again from the target. */
    boolean stale() {
        return stale;
    }

    int pending() {
        return queue.size();
    }

    /** Stops after the import in progress, if any; queued files are dropped (they will be derived again). */
    void stop() {
        stopping = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!stopping) {
            PendingFile file;
            try {
                file = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (file != null && !importWithRetries(file)) {
                return;
            }
        }
    }

    private static void verify(String key, Path slice, long[] written) throws CorruptSliceException,
            java.io.IOException {
        if (!java.nio.file.Files.exists(slice)) {
            throw new CorruptSliceException("slice " + key + " is missing from staging");
        }
        long size = java.nio.file.Files.size(slice);
        long crc = SliceFile.checksumOf(slice);
        if (size != written[1] || crc != written[2]) {
            throw new CorruptSliceException(String.format("slice %s is corrupt: %d bytes with CRC32C %08x, written as "
                    + "%d bytes with CRC32C %08x", key, size, crc, written[1], written[2]));
        }
    }

    private boolean importWithRetries(PendingFile file) {
        long backoff = 100;
        status.file(file.fileId(), "importing", file.rows(), file.bytes());
        while (!stopping) {
            try {
                List<Path> slices = new ArrayList<>();
                for (String key : file.stagedSlices()) {
                    Path slice = staging.localCopy(key);
                    verify(key, slice, file.sliceSizes().get(key));
                    slices.add(slice);
                }
                Target.Outcome outcome;
                long started = System.nanoTime();
                synchronized (target) {
                    outcome = target.importFile(table, new Target.ImportFile(sink, file.fileId(), columns, slices,
                            compression, file.ranges()));
                }
                // Transactions that ended in a commit: a failed attempt's time says more about the failure.
                meters.imports.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                LOG.debug("sink {}: imported {} ({} rows, {} slices, {} bytes) in {} ms", sink, file.fileId(),
                        file.rows(), slices.size(), file.bytes(), (System.nanoTime() - started) / 1_000_000);
                for (Target.Range range : file.ranges()) {
                    imported.merge(range.partition(), range.lastOffset(), Math::max);
                }
                for (String key : file.stagedSlices()) {
                    staging.delete(key);
                    long[] size = file.sliceSizes().get(key);
                    status.slice(key, "imported", size[0], size[1]);
                }
                localBytes.addAndGet(-file.bytes());
                if (outcome == Target.Outcome.IMPORTED) {
                    status.imported(file.rows());
                }
                status.file(file.fileId(), "imported", file.rows(), file.bytes());
                status.lastError = null;
                return true;
            } catch (CorruptSliceException e) {
                meters.importFailures.increment();
                // Never import it, never skip it: drop everything not imported and read it again from the topic.
                LOG.error("sink {}: {}; discarding unimported work and deriving it again from the topic", sink,
                        e.getMessage());
                status.lastError = e.getMessage();
                stale = true;
                return false;
            } catch (Target.StaleImportException e) {
                meters.importFailures.increment();
                LOG.warn("sink {}: {}; starting again from the target's offsets", sink, e.getMessage());
                status.lastError = e.getMessage();
                stale = true;
                return false;
            } catch (Exception e) {
                meters.importFailures.increment();
                status.lastError = "import of " + file.fileId() + " failed: " + e.getMessage();
                LOG.warn("sink {}: import of {} failed, retrying in {} ms: {}", sink, file.fileId(), backoff,
                        e.toString());
                synchronized (wakeUp) {
                    try {
                        if (!stopping) {
                            wakeUp.wait(backoff);
                        }
                    } catch (InterruptedException interrupted) {
                        return false;
                    }
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
        return false;
    }
}
