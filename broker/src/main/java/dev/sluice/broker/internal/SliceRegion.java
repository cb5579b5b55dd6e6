package dev.sluice.broker.internal;

import dev.sluice.log.LogSlice;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A file region over a log slice. Unlike Netty's {@code DefaultFileRegion} it never closes the file channel: the
 * channel belongs to the segment, which outlives any one response.
 */
final class SliceRegion extends AbstractReferenceCounted implements FileRegion {
    private final LogSlice slice;
    private long transferred;

    SliceRegion(LogSlice slice) {
        this.slice = slice;
    }

    @Override
    public long position() {
        return slice.position();
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return slice.size();
    }

    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        long count = slice.size() - position;
        if (count <= 0) {
            return 0;
        }
        long written = slice.channel().transferTo(slice.position() + position, count, target);
        if (written > 0) {
            transferred += written;
        } else if (written == 0 && slice.channel().size() < slice.position() + slice.size()) {
            throw new IOException("segment shrank under a fetch response");
        }
        return written;
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }

    @Override
    protected void deallocate() {
        // The segment owns the channel.
    }
}
