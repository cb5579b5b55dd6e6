package dev.sluice.log.internal;

import dev.sluice.log.FileLayer;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Sparse map from a batch's base offset to its byte position in the segment file. An entry is 8 bytes: the offset
 * relative to the segment's base offset, and the position, both 32-bit big-endian.
 */
final class OffsetIndex extends MappedIndex {
    static final int ENTRY_SIZE = 8;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final long baseOffset;

    OffsetIndex(FileLayer files, Path path, long baseOffset, int maxBytes, boolean writable) throws IOException {
        super(files, path, ENTRY_SIZE, maxBytes, writable);
        this.baseOffset = baseOffset;
    }

    void append(long offset, int position) {
        if (isFull()) {
            // Sparse: a skipped entry only lengthens the scan after a lookup.
            return;
        }
        MemorySegment map = map();
        long at = entryAddress(entries());
        map.set(INT, at, (int) (offset - baseOffset));
        map.set(INT, at + 4, position);
        publishEntry();
    }

    /** Byte position of the last indexed batch starting at or before {@code offset}; 0 when none is. */
    int lookup(long offset) {
        int entry = floorEntry(offset - baseOffset);
        return entry < 0 ? 0 : map().get(INT, entryAddress(entry) + 4);
    }

    /**
     * Offset of the last indexed batch starting at or before byte {@code position}; -1 when none is. Positions
     * increase with offsets, so this is a binary search by position.
     */
    long offsetAtOrBefore(int position) {
        MemorySegment current = map();
        int low = 0;
        int high = Math.min(entries(), (int) (current.byteSize() / ENTRY_SIZE)) - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (current.get(INT, entryAddress(mid) + 4) <= position) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found < 0 ? -1 : baseOffset + current.get(INT, entryAddress(found));
    }

    long offsetAt(int entry) {
        return baseOffset + map().get(INT, entryAddress(entry));
    }

    int positionAt(int entry) {
        return map().get(INT, entryAddress(entry) + 4);
    }

    @Override
    long key(MemorySegment map, int entry) {
        return map.get(INT, entryAddress(entry));
    }

    /**
     * Whether the entries can be trusted for a segment of {@code segmentSize} bytes: offsets and positions strictly
     * increasing and inside the segment.
     */
    boolean isSane(int segmentSize) {
        long lastOffset = -1;
        int lastPosition = -1;
        for (int i = 0; i < entries(); i++) {
            long relative = map().get(INT, entryAddress(i));
            int position = positionAt(i);
            if (relative <= lastOffset || position <= lastPosition || position >= segmentSize || relative < 0) {
                return false;
            }
            lastOffset = relative;
            lastPosition = position;
        }
        return true;
    }
}
