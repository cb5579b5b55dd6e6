package dev.sluice.log.internal;

import dev.sluice.log.FileLayer;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Sparse map from the largest timestamp seen so far in the segment to the last offset of the batch that carried it.
 * An entry is 12 bytes: the timestamp (64-bit) and the offset relative to the segment base (32-bit), big-endian.
 * Timestamps in the index never decrease, even when the records' timestamps do.
 */
final class TimeIndex extends MappedIndex {
    static final int ENTRY_SIZE = 12;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final long baseOffset;

    TimeIndex(FileLayer files, Path path, long baseOffset, int maxBytes, boolean writable) throws IOException {
        super(files, path, ENTRY_SIZE, maxBytes, writable);
        this.baseOffset = baseOffset;
    }

    void append(long timestamp, long offset) {
        if (isFull()) {
            // Sparse: a skipped entry only lengthens the scan after a lookup.
            return;
        }
        int count = entries();
        if (count > 0 && timestamp <= timestampAt(count - 1)) {
            return;
        }
        MemorySegment map = map();
        long at = entryAddress(count);
        map.set(LONG, at, timestamp);
        map.set(INT, at + 8, (int) (offset - baseOffset));
        publishEntry();
    }

    long timestampAt(int entry) {
        return map().get(LONG, entryAddress(entry));
    }

    long offsetAt(int entry) {
        return baseOffset + map().get(INT, entryAddress(entry) + 8);
    }

    /** Largest timestamp indexed, or -1 for an empty index. */
    long lastTimestamp() {
        int count = entries();
        return count == 0 ? -1 : timestampAt(count - 1);
    }

    /**
     * Offset from which to scan for the first record with a timestamp at or after {@code timestamp}: every record
     * before it is older. The segment's base offset when the index cannot narrow the search.
     */
    long scanStart(long timestamp) {
        // Last entry strictly older than the target: every record up to its offset is older than the target.
        int entry = floorEntry(timestamp - 1);
        return entry < 0 ? baseOffset : offsetAt(entry) + 1;
    }

    @Override
    long key(MemorySegment map, int entry) {
        return map.get(LONG, entryAddress(entry));
    }

    /** Timestamps non-decreasing and offsets non-decreasing, inside the segment's offsets. */
    boolean isSane(long nextOffset) {
        long lastTimestamp = Long.MIN_VALUE;
        long lastOffset = -1;
        for (int i = 0; i < entries(); i++) {
            long ts = timestampAt(i);
            long offset = offsetAt(i);
            if (ts < lastTimestamp || offset < lastOffset || offset < baseOffset || offset >= nextOffset) {
                return false;
            }
            lastTimestamp = ts;
            lastOffset = offset;
        }
        return true;
    }
}
