package dev.sluice.broker.internal;

import dev.sluice.log.LogSlice;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.RecordsSend;

/**
 * Records of a fetch response that stay in the segment file: the response encoder turns them into a Netty
 * {@link SliceRegion}, which the kernel sends with {@code sendfile}, never copying them through the heap.
 */
record SliceRecords(LogSlice slice) implements BaseRecords {

    @Override
    public int sizeInBytes() {
        return slice.size();
    }

    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("sent through Netty as a file region");
    }
}
