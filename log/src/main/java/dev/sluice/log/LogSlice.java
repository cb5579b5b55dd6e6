package dev.sluice.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A range of a segment file holding whole record batches, ready to be sent with zero copy.
 *
 * <p>The channel stays open for at least the file-delete delay after the segment leaves the log, so a slice taken
 * before retention or compaction replaced its segment can still be sent. Immutable and thread-safe.
 */
public record LogSlice(FileChannel channel, long position, int size) {

    public static final LogSlice EMPTY = new LogSlice(null, 0, 0);

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Sends the slice with {@link FileChannel#transferTo}: the bytes go from the page cache to the target without
     * passing through the Java heap.
     *
     * @return bytes sent, which is {@link #size()} unless the target stops accepting
     */
    public long transferTo(WritableByteChannel target) throws IOException {
        long sent = 0;
        while (sent < size) {
            long n = channel.transferTo(position + sent, size - sent, target);
            if (n <= 0) {
                break;
            }
            sent += n;
        }
        return sent;
    }

    /** Copies the slice into a new heap buffer, for callers that need the bytes rather than a transfer. */
    public ByteBuffer read() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("segment ended before the slice did");
            }
        }
        return buffer.flip();
    }
}
