package dev.sluice.log.internal;

import dev.sluice.log.FileLayer;
import dev.sluice.log.LogSlice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One segment of a partition log: a file of record batches whose first offset names it ({@code %020d.log}), with its
 * sparse offset index ({@code .index}) and time index ({@code .timeindex}).
 *
 * <p>Appends come from the log's single writer; reads are positional and safe from any thread.
 */
public final class Segment {
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";

    private final FileLayer files;
    private final Path dir;
    private final long baseOffset;
    private final FileChannel channel;
    private final int indexIntervalBytes;
    private OffsetIndex offsetIndex;
    private TimeIndex timeIndex;
    private volatile int size;
    private volatile long maxTimestamp = -1;
    private volatile long nextOffset;
    private int bytesSinceIndexEntry;
    private final long createdAtMs;

    private Segment(FileLayer files, Path dir, long baseOffset, FileChannel channel, int size, int indexIntervalBytes,
                    long createdAtMs) {
        this.files = files;
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.channel = channel;
        this.size = size;
        this.indexIntervalBytes = indexIntervalBytes;
        this.createdAtMs = createdAtMs;
        this.nextOffset = baseOffset;
    }

    public static String fileName(long baseOffset, String suffix) {
        return String.format("%020d%s", baseOffset, suffix);
    }

    /** Creates the files of a new, empty, active segment. The caller syncs the directory. */
    static Segment create(FileLayer files, Path dir, long baseOffset, int indexIntervalBytes, int maxIndexBytes,
                          long nowMs) throws IOException {
        Path log = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        FileChannel channel = files.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Segment segment = new Segment(files, dir, baseOffset, channel, 0, indexIntervalBytes, nowMs);
        segment.openIndexes(maxIndexBytes, true);
        return segment;
    }

    /** Opens an existing segment file; its indexes are opened by {@link #openIndexes}. */
    static Segment open(FileLayer files, Path dir, long baseOffset, int indexIntervalBytes, long nowMs)
            throws IOException {
        Path log = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        FileChannel channel = files.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long length = channel.size();
        if (length > Integer.MAX_VALUE) {
            channel.close();
            throw new IOException(log + " is larger than 2 GiB");
        }
        return new Segment(files, dir, baseOffset, channel, (int) length, indexIntervalBytes, nowMs);
    }

    void openIndexes(int maxIndexBytes, boolean writable) throws IOException {
        this.offsetIndex = new OffsetIndex(files, indexPath(), baseOffset, maxIndexBytes, writable);
        this.timeIndex = new TimeIndex(files, timeIndexPath(), baseOffset, maxIndexBytes, writable);
    }

    public long baseOffset() {
        return baseOffset;
    }

    public int size() {
        return size;
    }

    /** Offset after the last batch in this segment. */
    public long nextOffset() {
        return nextOffset;
    }

    public long maxTimestamp() {
        return maxTimestamp;
    }

    long createdAtMs() {
        return createdAtMs;
    }

    FileChannel channel() {
        return channel;
    }

    Path logPath() {
        return dir.resolve(fileName(baseOffset, LOG_SUFFIX));
    }

    Path indexPath() {
        return dir.resolve(fileName(baseOffset, INDEX_SUFFIX));
    }

    Path timeIndexPath() {
        return dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX));
    }

    boolean indexesFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /**
     * Writes batches whose offsets are already assigned, then indexes them. On an I/O error the file is cut back to
     * its previous size, so a failed append leaves no partial batch behind.
     */
    void append(ByteBuffer batches) throws IOException {
        int start = batches.position();
        int end = batches.limit();
        int position = size;
        try {
            long at = position;
            while (batches.hasRemaining()) {
                at += channel.write(batches, at);
            }
        } catch (IOException e) {
            batches.position(start);
            try {
                channel.truncate(position);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        batches.position(start);
        for (int batch = start; batch < end; ) {
            int batchSize = BatchHeader.length(batches, batch) + BatchHeader.LOG_OVERHEAD;
            long base = BatchHeader.baseOffset(batches, batch);
            indexBatch(base, base + BatchHeader.lastOffsetDelta(batches, batch),
                    BatchHeader.maxTimestamp(batches, batch), position + (batch - start), batchSize);
            batch += batchSize;
        }
        size = position + (end - start);
    }

    /** Adds index entries for a batch at {@code position}, every {@code index.interval.bytes}. */
    private void indexBatch(long base, long last, long batchMaxTimestamp, int position, int batchSize) {
        if (bytesSinceIndexEntry >= indexIntervalBytes) {
            offsetIndex.append(base, position);
            if (batchMaxTimestamp > timeIndex.lastTimestamp()) {
                timeIndex.append(Math.max(batchMaxTimestamp, maxTimestamp), last);
            }
            bytesSinceIndexEntry = 0;
        }
        bytesSinceIndexEntry += batchSize;
        if (batchMaxTimestamp > maxTimestamp) {
            maxTimestamp = batchMaxTimestamp;
        }
        nextOffset = last + 1;
    }

    /** Forces the segment's data to disk. */
    void flush() throws IOException {
        channel.force(false);
    }

    /** Forces data and indexes and trims the indexes: called when the segment stops being the active one. */
    void seal() throws IOException {
        channel.force(false);
        // The newest timestamp always gets a time index entry, so lookups past the last sparse entry stay correct.
        if (maxTimestamp > timeIndex.lastTimestamp() && nextOffset > baseOffset) {
            timeIndex.append(maxTimestamp, nextOffset - 1);
        }
        offsetIndex.trim();
        timeIndex.trim();
    }

    /** Outcome of {@link #recover}. */
    record Recovery(int validBytes, int truncatedBytes, String reason) {
        boolean truncated() {
            return truncatedBytes > 0;
        }
    }

    /**
     * Scans the file from the start, checks every batch (length, magic, CRC, offsets increasing), rebuilds both
     * indexes from the batches, and cuts the file at the first invalid batch.
     *
     * @param validateCrc false when the data is trusted and only the indexes need rebuilding
     */
    Recovery recover(boolean validateCrc, int maxIndexBytes) throws IOException {
        return recover(validateCrc, maxIndexBytes, null);
    }

    /** Sees every valid batch a recovery scan keeps, in order: how producer state is rebuilt in the same pass. */
    interface BatchVisitor {
        void visit(long baseOffset, int lastOffsetDelta, long producerId, short producerEpoch, int baseSequence);
    }

    /** As {@link #recover(boolean, int)}, showing each kept batch's producer fields to {@code visitor}. */
    Recovery recover(boolean validateCrc, int maxIndexBytes, BatchVisitor visitor) throws IOException {
        offsetIndex.clear();
        timeIndex.clear();
        bytesSinceIndexEntry = 0;
        maxTimestamp = -1;
        nextOffset = baseOffset;
        int fileSize = size;
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        CRC32C crc = new CRC32C();
        long bufferFileStart = 0;
        int position = 0;
        String reason = null;
        buffer.limit(0);
        scan:
        while (position < fileSize) {
            int offsetInBuffer = (int) (position - bufferFileStart);
            if (buffer.limit() - offsetInBuffer < BatchHeader.HEADER_SIZE) {
                buffer = refill(buffer, position, BatchHeader.HEADER_SIZE);
                bufferFileStart = position;
                offsetInBuffer = 0;
                if (buffer.limit() < BatchHeader.HEADER_SIZE) {
                    reason = "truncated batch header";
                    break;
                }
            }
            int length = BatchHeader.length(buffer, offsetInBuffer);
            long batchSize = (long) length + BatchHeader.LOG_OVERHEAD;
            long base = BatchHeader.baseOffset(buffer, offsetInBuffer);
            if (length < BatchHeader.HEADER_SIZE - BatchHeader.LOG_OVERHEAD) {
                reason = "batch length " + length + " below header size";
                break;
            }
            if (position + batchSize > fileSize) {
                reason = "batch of " + batchSize + " bytes runs past the end of the file";
                break;
            }
            if (BatchHeader.magic(buffer, offsetInBuffer) != BatchHeader.CURRENT_MAGIC) {
                reason = "magic " + BatchHeader.magic(buffer, offsetInBuffer);
                break;
            }
            int delta = BatchHeader.lastOffsetDelta(buffer, offsetInBuffer);
            if (base < nextOffset || delta < 0) {
                reason = "offset " + base + " does not follow " + (nextOffset - 1);
                break;
            }
            if (buffer.limit() - offsetInBuffer < batchSize) {
                buffer = refill(buffer, position, (int) batchSize);
                bufferFileStart = position;
                offsetInBuffer = 0;
                if (buffer.limit() < batchSize) {
                    reason = "short read";
                    break scan;
                }
            }
            if (validateCrc) {
                crc.reset();
                int limit = buffer.limit();
                buffer.limit(offsetInBuffer + (int) batchSize).position(offsetInBuffer + BatchHeader.ATTRIBUTES_OFFSET);
                crc.update(buffer);
                buffer.limit(limit).position(0);
                if (crc.getValue() != BatchHeader.crc(buffer, offsetInBuffer)) {
                    reason = "CRC mismatch";
                    break;
                }
            }
            indexBatch(base, base + delta, BatchHeader.maxTimestamp(buffer, offsetInBuffer), position,
                    (int) batchSize);
            if (visitor != null) {
                visitor.visit(base, delta, BatchHeader.producerId(buffer, offsetInBuffer),
                        BatchHeader.producerEpoch(buffer, offsetInBuffer),
                        BatchHeader.baseSequence(buffer, offsetInBuffer));
            }
            position += (int) batchSize;
        }
        int truncated = fileSize - position;
        if (truncated > 0) {
            channel.truncate(position);
            channel.force(true);
        }
        size = position;
        return new Recovery(position, truncated, reason);
    }

    /** Reads from {@code position} into the buffer, growing it when a batch needs more than it holds. */
    private ByteBuffer refill(ByteBuffer buffer, long position, int needed) throws IOException {
        ByteBuffer target = buffer;
        if (needed > buffer.capacity()) {
            target = ByteBuffer.allocateDirect(needed);
        }
        target.clear();
        long at = position;
        while (target.hasRemaining()) {
            int n = channel.read(target, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        target.flip();
        return target;
    }

    /**
     * Whether the indexes can be trusted for this segment, and if so takes the segment's end and newest timestamp
     * from them and the last batches. Used for segments that recovery need not scan.
     */
    boolean loadFromIndexes() throws IOException {
        if (offsetIndex.damaged() || timeIndex.damaged() || !offsetIndex.isSane(size)) {
            return false;
        }
        // A sealed segment always has a time index entry for its newest timestamp, and a segment longer than the
        // index interval has offset index entries: their absence means the files were lost.
        if (size > 0 && timeIndex.entries() == 0 || size > indexIntervalBytes && offsetIndex.entries() == 0) {
            return false;
        }
        int entries = offsetIndex.entries();
        int position = entries == 0 ? 0 : offsetIndex.positionAt(entries - 1);
        long expected = entries == 0 ? baseOffset : offsetIndex.offsetAt(entries - 1);
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.HEADER_SIZE);
        long next = baseOffset;
        long newest = timeIndex.lastTimestamp();
        boolean first = true;
        while (position < size) {
            if (!readHeader(header, position)) {
                return false;
            }
            long base = BatchHeader.baseOffset(header, 0);
            int length = BatchHeader.length(header, 0);
            if (first && base != expected || length < BatchHeader.HEADER_SIZE - BatchHeader.LOG_OVERHEAD) {
                return false;
            }
            first = false;
            next = base + BatchHeader.lastOffsetDelta(header, 0) + 1;
            newest = Math.max(newest, BatchHeader.maxTimestamp(header, 0));
            position += length + BatchHeader.LOG_OVERHEAD;
        }
        if (position != size || !timeIndex.isSane(Math.max(next, baseOffset + 1))) {
            return false;
        }
        nextOffset = next;
        maxTimestamp = newest;
        bytesSinceIndexEntry = indexIntervalBytes;
        return true;
    }

    /** Reads the header of the batch at {@code position}; false if the file ends first. */
    boolean readHeader(ByteBuffer header, int position) throws IOException {
        header.clear();
        long at = position;
        while (header.hasRemaining()) {
            int n = channel.read(header, at);
            if (n < 0) {
                return false;
            }
            at += n;
        }
        header.flip();
        return true;
    }

    /**
     * Position of the first batch whose last offset is at least {@code offset}, scanning from the sparse index,
     * and not past {@code limit}; -1 when there is none.
     */
    int positionOf(long offset, int limit, ByteBuffer header) throws IOException {
        int position = offsetIndex.lookup(offset);
        while (position < limit) {
            if (!readHeader(header, position)) {
                return -1;
            }
            long last = BatchHeader.baseOffset(header, 0) + BatchHeader.lastOffsetDelta(header, 0);
            if (last >= offset) {
                return position;
            }
            position += BatchHeader.length(header, 0) + BatchHeader.LOG_OVERHEAD;
        }
        return -1;
    }

    /** Base offset of the last indexed batch starting at or before byte {@code position}; -1 when none is. */
    long indexedOffsetAtOrBefore(int position) {
        return offsetIndex.offsetAtOrBefore(position);
    }

    /** Offset to start a search for the first record at or after {@code timestamp}. */
    long timeScanStart(long timestamp) {
        return timeIndex.scanStart(timestamp);
    }

    /**
     * Reads whole batches starting at {@code position}, about {@code chunkBytes} of them but at least one, not past
     * {@code limit}. Returns an empty buffer at the limit.
     */
    ByteBuffer readBatches(int position, int limit, int chunkBytes) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.HEADER_SIZE);
        int end = position;
        while (end < limit) {
            if (!readHeader(header, end)) {
                break;
            }
            int batchSize = BatchHeader.length(header, 0) + BatchHeader.LOG_OVERHEAD;
            if (end > position && end + batchSize - position > chunkBytes || end + batchSize > limit) {
                break;
            }
            end += batchSize;
        }
        ByteBuffer buffer = ByteBuffer.allocate(end - position);
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("segment " + baseOffset + " ended at byte " + at);
            }
            at += n;
        }
        return buffer.flip();
    }

    LogSlice slice(int position, int length) {
        return new LogSlice(channel, position, length);
    }

    /** Deletes the segment's files; the channel stays open for readers until {@link #closeChannel()}. */
    void deleteFiles() throws IOException {
        files.delete(logPath());
        offsetIndex.delete();
        timeIndex.delete();
    }

    public void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a read-only view; nothing is lost.
        }
    }

    static boolean exists(Path dir, long baseOffset) {
        return Files.exists(dir.resolve(fileName(baseOffset, LOG_SUFFIX)));
    }

    @Override
    public String toString() {
        return "Segment[" + baseOffset + ", " + size + " bytes]";
    }
}
