package dev.sluice.log.internal;

import dev.sluice.log.AppendCallback;
import dev.sluice.log.FileLayer;
import dev.sluice.log.FlushPolicy;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogObserver;
import dev.sluice.log.LogSlice;
import dev.sluice.log.PartitionLog;
import dev.sluice.log.ReadResult;
import dev.sluice.log.TimestampOffset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition log: segments in a directory, one writer, concurrent readers, group commit, recovery, retention and
 * compaction.
 *
 * <p>Files in the directory: segments ({@code <base>.log/.index/.timeindex}), {@code recovery-point} (every segment
 * below it is durable with its indexes), {@code log-start-offset}, and {@code clean-shutdown} while closed cleanly.
 *
 * <p>Thread-safe.
 */
public final class RealPartitionLog implements PartitionLog, GroupCommitter.Target {
    private static final Logger LOG = LoggerFactory.getLogger(RealPartitionLog.class);
    static final String CLEAN_SHUTDOWN = "clean-shutdown";
    static final String RECOVERY_POINT = "recovery-point";
    static final String LOG_START_OFFSET = "log-start-offset";
    static final String CLEANED_SUFFIX = ".cleaned";
    static final String PRODUCER_STATE = "producer-state";
    /** Producers silent for this long are forgotten, as Kafka's {@code producer.id.expiration.ms} default. */
    static final long PRODUCER_EXPIRATION_MS = 24 * 60 * 60 * 1000L;

    private final TopicPartition topicPartition;
    private final Path dir;
    private final FileLayer files;
    private final Clock clock;
    private final Consumer<Segment> retire;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock maintenanceLock = new ReentrantLock();
    private final Checkpoint recoveryPoint;
    private final Checkpoint logStartCheckpoint;
    private final ProducerStateTable producers = new ProducerStateTable();
    private final GroupCommitter committer;
    private final LogObserver observer;
    private volatile LogConfig config;
    /**
     * The readable end (offset, segment, position), published as three fields under a {@link java.util.concurrent.locks.StampedLock} so that an
     * append under {@code flush=none} publishes without allocating; readers take a consistent {@link LogEnd} copy
     * with an optimistic read.
     */
    private final java.util.concurrent.locks.StampedLock endLock = new java.util.concurrent.locks.StampedLock();
    private long endOffset;
    private Segment endSegment;
    private int endPosition;
    private volatile long logStartOffset;
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile long lastFlushMs;
    private Segment active;
    private long nextOffset;

    private RealPartitionLog(TopicPartition topicPartition, Path dir, LogConfig config, FileLayer files, Clock clock,
                             Consumer<Segment> retire, LogObserver observer) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.files = files;
        this.clock = clock;
        this.retire = retire;
        this.recoveryPoint = new Checkpoint(files, dir.resolve(RECOVERY_POINT));
        this.logStartCheckpoint = new Checkpoint(files, dir.resolve(LOG_START_OFFSET));
        this.observer = observer;
        this.committer = new GroupCommitter(this, topicPartition, observer);
    }

    /**
     * Opens the log in {@code dir}, creating it if needed, and recovers it if it was not closed cleanly.
     *
     * @param retire   called with a segment that left the log; closes its channel once readers are done with it
     * @param observer hears of fsyncs
     */
    public static RealPartitionLog open(TopicPartition topicPartition, Path dir, LogConfig config, FileLayer files,
                                        Clock clock, Consumer<Segment> retire, LogObserver observer)
            throws IOException {
        boolean fresh = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        if (fresh) {
            files.syncDirectory(dir.getParent());
        }
        RealPartitionLog log = new RealPartitionLog(topicPartition, dir, config, files, clock, retire, observer);
        log.load();
        log.committer.start();
        return log;
    }

    private void load() throws IOException {
        long started = System.nanoTime();
        Path marker = dir.resolve(CLEAN_SHUTDOWN);
        boolean clean = Files.exists(marker);
        long checkpoint = recoveryPoint.read(0);
        logStartOffset = logStartCheckpoint.read(0);
        List<Long> bases = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path path : (Iterable<Path>) listing::iterator) {
                String name = path.getFileName().toString();
                if (name.endsWith(CLEANED_SUFFIX) || name.endsWith(".tmp")) {
                    // Leftovers of a compaction or checkpoint write that did not finish.
                    files.delete(path);
                } else if (name.endsWith(Segment.LOG_SUFFIX)) {
                    bases.add(Long.parseLong(name.substring(0, name.length() - Segment.LOG_SUFFIX.length())));
                }
            }
        }
        bases.sort(null);
        // Producer state: the snapshot, then every producer batch after it. Batches in segments that recovery scans
        // are applied during the scan; the others are replayed from their headers after loading.
        long producerStateOffset = readProducerSnapshot();
        long[] replayFrom = {producerStateOffset};
        Segment.BatchVisitor producerReplay = (base, delta, producerId, epoch, sequence) -> {
            if (producerId >= 0 && sequence >= 0 && base >= replayFrom[0]) {
                producers.update(producerId, epoch, sequence, lastSequence(sequence, delta), base, base + delta,
                        clock.millis());
            }
        };
        int maxIndexBytes = config.maxIndexBytes();
        long now = clock.millis();
        int scanned = 0;
        long truncatedBytes = 0;
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean last = i == bases.size() - 1;
            long nextBase = last ? Long.MAX_VALUE : bases.get(i + 1);
            Segment segment = Segment.open(files, dir, base, config.indexIntervalBytes(), now);
            segment.openIndexes(maxIndexBytes, last);
            boolean trusted = clean || nextBase <= checkpoint;
            if (trusted && segment.loadFromIndexes()) {
                segments.put(base, segment);
                if (segment.nextOffset() > replayFrom[0]) {
                    replayProducerBatches(segment, replayFrom[0]);
                    replayFrom[0] = segment.nextOffset();
                }
                continue;
            }
            if (!last) {
                // Rebuilding needs an index with room to grow; it is trimmed again when sealed below.
                segment.openIndexes(maxIndexBytes, true);
            }
            scanned++;
            Segment.Recovery recovery = segment.recover(!trusted, maxIndexBytes, producerReplay);
            replayFrom[0] = Math.max(replayFrom[0], segment.nextOffset());
            segments.put(base, segment);
            if (recovery.truncated()) {
                truncatedBytes += recovery.truncatedBytes();
                LOG.warn("{}: segment {} cut at byte {} ({} bytes dropped): {}", topicPartition, base,
                        recovery.validBytes(), recovery.truncatedBytes(), recovery.reason());
                // Everything after a torn batch is unreachable: the log must stay a prefix of what was appended.
                for (int j = i + 1; j < bases.size(); j++) {
                    Segment later = Segment.open(files, dir, bases.get(j), config.indexIntervalBytes(), now);
                    later.openIndexes(maxIndexBytes, false);
                    later.deleteFiles();
                    later.closeChannel();
                }
                break;
            }
            if (!last) {
                segment.seal();
            }
        }
        if (segments.isEmpty()) {
            long base = Math.max(logStartOffset, checkpoint);
            segments.put(base, Segment.create(files, dir, base, config.indexIntervalBytes(), maxIndexBytes, now));
            files.syncDirectory(dir);
        }
        // Segments were opened read-only except the last; the last one is the active segment.
        active = segments.lastEntry().getValue();
        if (active.size() > 0 && active.indexesFull()) {
            rollLocked(now);
        }
        nextOffset = active.nextOffset();
        if (logStartOffset < segments.firstKey()) {
            logStartOffset = segments.firstKey();
        }
        if (logStartOffset > nextOffset) {
            logStartOffset = nextOffset;
        }
        if (scanned > 0) {
            // What recovery kept is served to readers, so make sure it is on disk, not only in the page cache.
            active.flush();
            files.syncDirectory(dir);
            recoveryPoint.write(active.baseOffset());
        }
        publishDurable(nextOffset, active, active.size());
        if (producerStateOffset > nextOffset) {
            // The snapshot is ahead of what recovery kept (a torn tail): rebuild the producer state from the log.
            producers.clear();
            for (Segment segment : segments.values()) {
                replayProducerBatches(segment, logStartOffset);
            }
        }
        if (clean) {
            files.delete(marker);
            files.syncDirectory(dir);
        }
        if (scanned > 0) {
            LOG.info("{}: recovered in {} ms: {} segments, {} scanned, {} bytes truncated, offsets {}..{}",
                    topicPartition, (System.nanoTime() - started) / 1_000_000, segments.size(), scanned,
                    truncatedBytes, logStartOffset, nextOffset);
        }
    }

    @Override
    public TopicPartition topicPartition() {
        return topicPartition;
    }

    @Override
    public LogConfig config() {
        return config;
    }

    @Override
    public void append(ByteBuffer batches, AppendCallback callback) {
        LogConfig current = config;
        try {
            ensureWritable();
            BatchValidator.validate(batches, current.maxBatchBytes());
        } catch (RuntimeException e) {
            callback.completed(-1, -1, -1, e);
            return;
        }
        int bytes = batches.remaining();
        // Set when the append completes at once; the callback then runs after the writer lock is released.
        boolean now = false;
        long base = -1;
        long last = -1;
        long start = -1;
        Throwable failure = null;
        writeLock.lock();
        try {
            ensureWritable();
            ProducerStateTable.BatchRecord duplicate = checkProducer(batches);
            if (duplicate != null) {
                // A retried batch: answered with its first offsets, once those are as durable as a new append.
                base = duplicate.firstOffset();
                last = duplicate.lastOffset();
                start = logStartOffset;
                if (current.flushPolicy() == FlushPolicy.ALWAYS && last >= highWatermark()) {
                    committer.await(last + 1, base, last, callback);
                } else {
                    now = true;
                }
            } else {
                maybeRoll(bytes, current);
                base = nextOffset;
                long next = base;
                int end = batches.limit();
                for (int at = batches.position(); at < end; ) {
                    BatchHeader.setBaseOffset(batches, at, next);
                    next += BatchHeader.lastOffsetDelta(batches, at) + 1;
                    at += BatchHeader.length(batches, at) + BatchHeader.LOG_OVERHEAD;
                }
                active.append(batches);
                nextOffset = next;
                recordProducer(batches);
                last = next - 1;
                start = logStartOffset;
                if (current.flushPolicy() == FlushPolicy.ALWAYS) {
                    committer.await(next, base, last, callback);
                } else {
                    publishDurable(next, active, active.size());
                    now = true;
                }
            }
        } catch (IOException e) {
            failure = new KafkaStorageException("append to " + topicPartition + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            writeLock.unlock();
        }
        if (failure != null) {
            callback.completed(-1, -1, -1, failure);
        } else if (now) {
            callback.completed(base, last, start, null);
        }
    }

    /**
     * Checks an idempotent producer's batch: returns the earlier batch it repeats, or null to append it. Batches
     * without a producer id pass. A producer's batch must be appended alone, as Kafka's produce requests carry it.
     */
    private ProducerStateTable.BatchRecord checkProducer(ByteBuffer batches) {
        int at = batches.position();
        long producerId = BatchHeader.producerId(batches, at);
        int firstSequence = BatchHeader.baseSequence(batches, at);
        if (producerId < 0 || firstSequence < 0) {
            return null;
        }
        int size = BatchHeader.length(batches, at) + BatchHeader.LOG_OVERHEAD;
        if (at + size != batches.limit()) {
            throw new org.apache.kafka.common.InvalidRecordException(
                    "a batch with a producer id must be appended alone");
        }
        return producers.check(producerId, BatchHeader.producerEpoch(batches, at), firstSequence,
                lastSequence(firstSequence, BatchHeader.lastOffsetDelta(batches, at)));
    }

    private static int lastSequence(int firstSequence, int lastOffsetDelta) {
        long last = (long) firstSequence + lastOffsetDelta;
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    private void recordProducer(ByteBuffer batches) {
        int at = batches.position();
        long producerId = BatchHeader.producerId(batches, at);
        int firstSequence = BatchHeader.baseSequence(batches, at);
        if (producerId >= 0 && firstSequence >= 0) {
            long base = BatchHeader.baseOffset(batches, at);
            int delta = BatchHeader.lastOffsetDelta(batches, at);
            producers.update(producerId, BatchHeader.producerEpoch(batches, at), firstSequence,
                    lastSequence(firstSequence, delta), base, base + delta, clock.millis());
        }
    }

    /** Loads the producer state snapshot; returns the offset it is valid up to (0 when there is none). */
    private long readProducerSnapshot() {
        Path snapshot = dir.resolve(PRODUCER_STATE);
        if (!Files.exists(snapshot)) {
            return 0;
        }
        try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(snapshot)))) {
            long offset = in.readLong();
            producers.read(in);
            return offset;
        } catch (IOException e) {
            LOG.warn("{}: producer state snapshot unreadable, rebuilding it from the log", topicPartition);
            producers.clear();
            return 0;
        }
    }

    /** Applies the producer batches of {@code segment} from offset {@code from} on, reading their headers. */
    private void replayProducerBatches(Segment segment, long from) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.HEADER_SIZE);
        int position = segment.positionOf(from, segment.size(), header);
        while (position >= 0 && position < segment.size() && segment.readHeader(header, position)) {
            long base = BatchHeader.baseOffset(header, 0);
            int delta = BatchHeader.lastOffsetDelta(header, 0);
            long producerId = BatchHeader.producerId(header, 0);
            int firstSequence = BatchHeader.baseSequence(header, 0);
            if (producerId >= 0 && firstSequence >= 0 && base + delta >= from) {
                producers.update(producerId, BatchHeader.producerEpoch(header, 0), firstSequence,
                        lastSequence(firstSequence, delta), base, base + delta, clock.millis());
            }
            position += BatchHeader.length(header, 0) + BatchHeader.LOG_OVERHEAD;
        }
    }

    /** Saves the producer state as of {@code offset}; called under the writer lock, at rolls and clean close. */
    private void saveProducerState(long offset) throws IOException {
        Path snapshot = dir.resolve(PRODUCER_STATE);
        Path tmp = dir.resolve(PRODUCER_STATE + ".tmp");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(bytes)) {
            out.writeLong(offset);
            producers.write(out);
        }
        try (java.nio.channels.FileChannel channel = files.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        files.move(tmp, snapshot);
        files.syncDirectory(dir);
    }

    private void ensureWritable() {
        if (closed) {
            throw new KafkaStorageException("log " + topicPartition + " is closed");
        }
        Throwable failed = failure;
        if (failed != null) {
            throw new KafkaStorageException("log " + topicPartition + " is offline after a disk error: "
                    + failed.getMessage());
        }
    }

    /** Rolls the active segment when the append would not fit, when it is too old, or when an index is full. */
    private void maybeRoll(int incomingBytes, LogConfig current) throws IOException {
        Segment segment = active;
        if (segment.size() == 0) {
            return;
        }
        long now = clock.millis();
        if ((long) segment.size() + incomingBytes > current.segmentBytes()
                || now - segment.createdAtMs() > current.segmentMs()
                || segment.indexesFull()
                || nextOffset - segment.baseOffset() > Integer.MAX_VALUE - (long) incomingBytes) {
            rollLocked(now);
        }
    }

    private void rollLocked(long now) throws IOException {
        Segment old = active;
        // The old segment and its indexes are forced before the recovery point moves past it.
        old.seal();
        long base = old.nextOffset();
        Segment created = Segment.create(files, dir, base, config.indexIntervalBytes(), config.maxIndexBytes(), now);
        files.syncDirectory(dir);
        segments.put(base, created);
        active = created;
        recoveryPoint.write(base);
        saveProducerState(base);
    }

    @Override
    public LogEnd writtenEnd() {
        writeLock.lock();
        try {
            return new LogEnd(nextOffset, active, active.size());
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void force(LogEnd end) throws IOException {
        end.segment().flush();
    }

    @Override
    public void publishDurable(LogEnd end) {
        publishDurable(end.offset(), end.segment(), end.position());
    }

    /** Moves the readable end forward; never back. Allocation-free. */
    private void publishDurable(long offset, Segment segment, int position) {
        long stamp = endLock.writeLock();
        try {
            if (endSegment == null || offset > endOffset) {
                endOffset = offset;
                endSegment = segment;
                endPosition = position;
            }
        } finally {
            endLock.unlockWrite(stamp);
        }
    }

    /** A consistent copy of the readable end. */
    private LogEnd readable() {
        long stamp = endLock.tryOptimisticRead();
        long offset = endOffset;
        Segment segment = endSegment;
        int position = endPosition;
        if (!endLock.validate(stamp)) {
            stamp = endLock.readLock();
            try {
                offset = endOffset;
                segment = endSegment;
                position = endPosition;
            } finally {
                endLock.unlockRead(stamp);
            }
        }
        return new LogEnd(offset, segment, position);
    }

    @Override
    public void failed(Throwable cause) {
        LOG.error("{}: disk error, the log stops taking appends", topicPartition, cause);
        failure = cause;
    }

    @Override
    public ReadResult read(long offset, int maxBytes) {
        LogEnd end = readable();
        long start = logStartOffset;
        if (offset < start || offset > end.offset()) {
            throw new OffsetOutOfRangeException("offset " + offset + " is outside " + topicPartition + "'s range "
                    + start + ".." + end.offset());
        }
        if (offset == end.offset()) {
            return new ReadResult(LogSlice.EMPTY, end.offset(), start, offset);
        }
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.HEADER_SIZE);
        try {
            Map.Entry<Long, Segment> entry = segments.floorEntry(offset);
            if (entry == null) {
                entry = segments.firstEntry();
            }
            while (entry != null) {
                Segment segment = entry.getValue();
                int limit = readLimit(segment, end);
                int position = segment.positionOf(offset, limit, header);
                if (position >= 0) {
                    int firstBatch = BatchHeader.length(header, 0) + BatchHeader.LOG_OVERHEAD;
                    int length = Math.min(limit - position, Math.max(maxBytes, firstBatch));
                    return new ReadResult(segment.slice(position, length), end.offset(), start,
                            offsetAfter(segment, end, position, length, limit, header));
                }
                if (segment.baseOffset() >= end.segment().baseOffset()) {
                    break;
                }
                entry = segments.higherEntry(entry.getKey());
            }
        } catch (IOException e) {
            throw new KafkaStorageException("read of " + topicPartition + " failed: " + e.getMessage(), e);
        }
        // Compaction can leave no batch between the offset and the end.
        return new ReadResult(LogSlice.EMPTY, end.offset(), start, offset);
    }

    /**
     * The offset after the whole batches of a slice, without reading more of the file: exact when the slice runs to
     * the readable end or to its segment's end; otherwise the larger of the end of its first batch (whose header is
     * in {@code header}) and the offset of the last indexed batch starting inside it.
     */
    private static long offsetAfter(Segment segment, LogEnd end, int position, int length, int limit,
                                    ByteBuffer header) {
        if (position + length == limit) {
            return segment == end.segment() ? end.offset() : segment.nextOffset();
        }
        long afterFirst = BatchHeader.baseOffset(header, 0) + BatchHeader.lastOffsetDelta(header, 0) + 1;
        return Math.max(afterFirst, segment.indexedOffsetAtOrBefore(position + length));
    }

    /** Bytes of {@code segment} a reader may see: all of a segment before the readable end, none after it. */
    private static int readLimit(Segment segment, LogEnd end) {
        if (segment == end.segment()) {
            return end.position();
        }
        return segment.baseOffset() < end.segment().baseOffset() ? segment.size() : 0;
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        LogEnd end = readable();
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.HEADER_SIZE);
        try {
            for (Segment segment : segments.values()) {
                if (segment.baseOffset() > end.segment().baseOffset()) {
                    break;
                }
                if (segment.maxTimestamp() < timestamp) {
                    continue;
                }
                int limit = readLimit(segment, end);
                long from = Math.max(segment.timeScanStart(timestamp), logStartOffset);
                int position = segment.positionOf(from, limit, header);
                while (position >= 0 && position < limit) {
                    segment.readHeader(header, position);
                    int size = BatchHeader.length(header, 0) + BatchHeader.LOG_OVERHEAD;
                    if (BatchHeader.maxTimestamp(header, 0) >= timestamp) {
                        Optional<TimestampOffset> found = firstRecordAtOrAfter(segment.slice(position, size),
                                timestamp, logStartOffset);
                        if (found.isPresent()) {
                            return found;
                        }
                    }
                    position += size;
                }
            }
        } catch (IOException e) {
            throw new KafkaStorageException("timestamp search in " + topicPartition + " failed: "
                    + e.getMessage(), e);
        }
        return Optional.empty();
    }

    private static Optional<TimestampOffset> firstRecordAtOrAfter(LogSlice batch, long timestamp, long minOffset)
            throws IOException {
        MemoryRecords records = MemoryRecords.readableRecords(batch.read());
        for (RecordBatch recordBatch : records.batches()) {
            for (Record record : recordBatch) {
                if (record.timestamp() >= timestamp && record.offset() >= minOffset) {
                    return Optional.of(new TimestampOffset(record.timestamp(), record.offset()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public long logStartOffset() {
        return logStartOffset;
    }

    @Override
    public long highWatermark() {
        long stamp = endLock.tryOptimisticRead();
        long offset = endOffset;
        if (!endLock.validate(stamp)) {
            stamp = endLock.readLock();
            try {
                offset = endOffset;
            } finally {
                endLock.unlockRead(stamp);
            }
        }
        return offset;
    }

    @Override
    public long logEndOffset() {
        writeLock.lock();
        try {
            return nextOffset;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long sizeInBytes() {
        long total = 0;
        for (Segment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    @Override
    public int segmentCount() {
        return segments.size();
    }

    @Override
    public long deleteRecordsBefore(long offset) {
        maintenanceLock.lock();
        try {
            long high = highWatermark();
            if (offset < 0 || offset > high) {
                throw new OffsetOutOfRangeException("cannot delete records before " + offset + " in "
                        + topicPartition + ": the high watermark is " + high);
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                logStartCheckpoint.write(offset);
                deleteSegmentsBelow(offset);
            }
            return logStartOffset;
        } catch (IOException e) {
            throw new KafkaStorageException("delete records in " + topicPartition + " failed: " + e.getMessage(), e);
        } finally {
            maintenanceLock.unlock();
        }
    }

    /** Deletes segments whose every offset is below {@code offset}; the segment holding the readable end stays. */
    private int deleteSegmentsBelow(long offset) throws IOException {
        int deleted = 0;
        for (Map.Entry<Long, Segment> entry : segments.entrySet()) {
            Map.Entry<Long, Segment> next = segments.higherEntry(entry.getKey());
            if (next == null || next.getKey() > offset || !isFullyReadable(entry.getValue())) {
                break;
            }
            removeSegment(entry.getValue());
            deleted++;
        }
        return deleted;
    }

    /** True for segments below the one holding the readable end: complete, durable, never written again. */
    private boolean isFullyReadable(Segment segment) {
        return segment.baseOffset() < readable().segment().baseOffset();
    }

    private void removeSegment(Segment segment) throws IOException {
        segments.remove(segment.baseOffset(), segment);
        segment.deleteFiles();
        files.syncDirectory(dir);
        retire.accept(segment);
    }

    @Override
    public void reconfigure(LogConfig newConfig) {
        this.config = newConfig;
    }

    /** Wall-clock time of the last {@link #flush()}, for interval flushing. */
    public long lastFlushMs() {
        return lastFlushMs;
    }

    @Override
    public void flush() {
        lastFlushMs = clock.millis();
        LogEnd end = writtenEnd();
        long started = System.nanoTime();
        try {
            end.segment().flush();
            GroupCommitter.observed(observer, topicPartition, System.nanoTime() - started, false);
        } catch (IOException e) {
            GroupCommitter.observed(observer, topicPartition, System.nanoTime() - started, true);
            failed(e);
            throw new KafkaStorageException("flush of " + topicPartition + " failed: " + e.getMessage(), e);
        }
        publishDurable(end);
    }

    @Override
    public int runMaintenance() {
        if (closed) {
            return 0;
        }
        maintenanceLock.lock();
        try {
            if (closed) {
                return 0;
            }
            LogConfig current = config;
            int changed = 0;
            writeLock.lock();
            try {
                producers.expire(clock.millis() - PRODUCER_EXPIRATION_MS);
            } finally {
                writeLock.unlock();
            }
            if (current.cleanupPolicy().deletes()) {
                changed += applyRetention(current);
            }
            if (current.cleanupPolicy().compacts()) {
                changed += new Compactor(this, files, clock).compact(current);
            }
            return changed;
        } catch (IOException e) {
            LOG.error("{}: maintenance failed", topicPartition, e);
            return 0;
        } finally {
            maintenanceLock.unlock();
        }
    }

    private int applyRetention(LogConfig current) throws IOException {
        long now = clock.millis();
        List<Segment> expired = new ArrayList<>();
        long remainingBytes = sizeInBytes();
        for (Segment segment : segments.values()) {
            if (!isFullyReadable(segment)) {
                break;
            }
            boolean tooOld = current.retentionMs() >= 0 && now - segment.maxTimestamp() > current.retentionMs();
            boolean tooBig = current.retentionBytes() >= 0
                    && remainingBytes - segment.size() >= current.retentionBytes();
            if (!tooOld && !tooBig) {
                break;
            }
            expired.add(segment);
            remainingBytes -= segment.size();
        }
        if (expired.isEmpty()) {
            return 0;
        }
        // The start offset moves first: a crash between the two steps leaves segments below the start offset,
        // which the next run deletes, and never a start offset below data that is gone.
        long newStart = segments.higherKey(expired.getLast().baseOffset());
        if (newStart > logStartOffset) {
            logStartCheckpoint.write(newStart);
            logStartOffset = newStart;
        }
        for (Segment segment : expired) {
            removeSegment(segment);
        }
        return expired.size();
    }

    /** Segments compaction may rewrite: complete, durable, below the readable end. Oldest first. */
    List<Segment> sealedSegments() {
        List<Segment> sealed = new ArrayList<>();
        for (Segment segment : segments.values()) {
            if (!isFullyReadable(segment)) {
                break;
            }
            sealed.add(segment);
        }
        return sealed;
    }

    /** Segments from {@code fromBase} on that are readable, for building the key map. */
    Iterable<Segment> segmentsFrom(long fromBase) {
        return segments.tailMap(fromBase, true).values();
    }

    long firstSegmentBase() {
        return segments.firstKey();
    }

    LogEnd readableEnd() {
        return readable();
    }

    Path dir() {
        return dir;
    }

    /** Swaps a rewritten segment in; the old one is retired, or dropped when the rewrite is empty. */
    void replaceSegment(Segment old, Segment replacement) {
        if (replacement == null) {
            segments.remove(old.baseOffset(), old);
        } else {
            segments.replace(old.baseOffset(), old, replacement);
        }
        retire.accept(old);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        maintenanceLock.lock();
        writeLock.lock();
        try {
            closed = true;
        } finally {
            writeLock.unlock();
        }
        try {
            committer.close();
            if (failure == null) {
                Segment segment = active;
                segment.seal();
                recoveryPoint.write(nextOffset);
                saveProducerState(nextOffset);
                Path marker = dir.resolve(CLEAN_SHUTDOWN);
                files.open(marker, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)
                        .close();
                files.syncDirectory(dir);
            }
        } catch (IOException e) {
            LOG.error("{}: clean shutdown failed, the next start recovers the log", topicPartition, e);
        } finally {
            for (Segment segment : segments.values()) {
                segment.closeChannel();
            }
            maintenanceLock.unlock();
        }
    }

    /** Deletes the log's directory; the log must be closed. */
    public void deleteDirectory() {
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path path : (Iterable<Path>) listing::iterator) {
                files.delete(path);
            }
            files.delete(dir);
            files.syncDirectory(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fsyncs done by the group committer, for tests proving that one fsync covers many appends. */
    public long fsyncCount() {
        return committer.fsyncs();
    }
}
