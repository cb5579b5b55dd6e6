package dev.sluice.broker.internal;

import dev.sluice.log.LogSlice;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.RecordsSend;

/**
 * Records of a fetch response that stay in the segment file: the response encoder turns them into a Netty
 * {@link SliceRegion}, which the kernel sends with {@code sendfile}, never copying them through the heap.
 *
 * @param offsets how many offsets the slice covers from the fetch offset on (see
 *                {@link dev.sluice.log.ReadResult#nextOffset()}), for the records-out meter
 */
record SliceRecords(LogSlice slice, long offsets) implements BaseRecords {

    @Override
    public int sizeInBytes() {
        return slice.size();
    }

    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("sent through Netty as a file region");
    }
}
