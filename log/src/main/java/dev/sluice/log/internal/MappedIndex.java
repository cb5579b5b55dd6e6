package dev.sluice.log.internal;

import dev.sluice.log.FileLayer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A memory-mapped file of fixed-size entries, appended by the segment's writer and searched by readers.
 *
 * <p>Indexes carry no checksum: recovery rebuilds them from the segment when they could be stale. While the segment
 * is active the file is preallocated to its maximum size; {@link #trim()} cuts it to its entries when the segment
 * becomes read-only. Mappings are released by the garbage collector ({@link Arena#ofAuto()}), so a reader racing a
 * trim never touches an unmapped region.
 *
 * <p>One writer thread; any number of reader threads. The entry count is published after the entry is written.
 */
abstract class MappedIndex {
    private final FileLayer files;
    private final Path path;
    private final int entrySize;
    private final int maxEntries;
    private volatile MemorySegment map;
    private volatile int entries;
    private final boolean damaged;

    MappedIndex(FileLayer files, Path path, int entrySize, int maxBytes, boolean writable) throws IOException {
        this.files = files;
        this.path = path;
        this.entrySize = entrySize;
        long existing = Files.exists(path) ? Files.size(path) : 0;
        this.entries = (int) (existing / entrySize);
        this.damaged = existing % entrySize != 0;
        if (writable) {
            this.maxEntries = Math.max(maxBytes / entrySize, entries + 1);
            this.map = mapFile(StandardOpenOption.CREATE, (long) maxEntries * entrySize);
        } else {
            this.maxEntries = entries;
            this.map = entries == 0 ? MemorySegment.NULL : mapFile(null, (long) entries * entrySize);
        }
    }

    private MemorySegment mapFile(StandardOpenOption create, long size) throws IOException {
        FileChannel channel = create == null
                ? files.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : files.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, create);
        try (channel) {
            // Mapping read-write past the end extends the file, which preallocates an active index.
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size, Arena.ofAuto());
        }
    }

    final Path path() {
        return path;
    }

    final int entries() {
        return entries;
    }

    /** True when the file's length is not a whole number of entries: it was cut, and cannot be trusted. */
    final boolean damaged() {
        return damaged;
    }

    final boolean isFull() {
        return entries >= maxEntries;
    }

    final MemorySegment map() {
        return map;
    }

    final long entryAddress(int entry) {
        return (long) entry * entrySize;
    }

    /** Call after writing the entry's bytes at {@link #entryAddress(int)} of {@link #map()}. */
    final void publishEntry() {
        entries = entries + 1;
    }

    /** Drops every entry, for a rebuild. */
    final void clear() {
        entries = 0;
    }

    /** Drops entries from {@code count} on. */
    final void truncateEntries(int count) {
        if (count < entries) {
            entries = count;
        }
    }

    /** Forces the mapped entries to disk, so a trusted segment's index survives a crash. */
    final void flush() {
        MemorySegment current = map;
        if (entries > 0 && current.byteSize() > 0) {
            current.asSlice(0, entryAddress(entries)).force();
        }
    }

    /** Cuts the file to its entries and maps it read-only sized; the segment will not be appended to again. */
    final void trim() throws IOException {
        flush();
        int count = entries;
        long size = entryAddress(count);
        try (FileChannel channel = files.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            this.map = count == 0 ? MemorySegment.NULL
                    : channel.map(FileChannel.MapMode.READ_WRITE, 0, size, Arena.ofAuto());
            channel.truncate(size);
            channel.force(true);
        }
    }

    final void delete() throws IOException {
        map = MemorySegment.NULL;
        entries = 0;
        files.delete(path);
    }

    /**
     * Index of the last entry whose key is at most {@code target}, or -1 when the first key is already larger.
     * Keys are non-decreasing.
     */
    final int floorEntry(long target) {
        MemorySegment current = map;
        int low = 0;
        int high = Math.min(entries, (int) (current.byteSize() / entrySize)) - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (key(current, mid) <= target) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** The search key of an entry. */
    abstract long key(MemorySegment map, int entry);
}
