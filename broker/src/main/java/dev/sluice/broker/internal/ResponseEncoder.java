package dev.sluice.broker.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.MemoryRecords;

/**
 * Encodes a response (size, header, body) with the generated message classes into Netty buffers. Records held in a
 * segment file ({@link SliceRecords}) become file regions between the buffers, so fetches are zero-copy.
 */
final class ResponseEncoder {
    private ResponseEncoder() {
    }

    /** @return buffers and file regions to write in order; the caller writes and releases them */
    static List<Object> encode(ByteBufAllocator allocator, int correlationId, short headerVersion,
                               ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);
        List<Object> parts = new ArrayList<>(3);
        ByteBuf first = allocator.buffer(4 + size.sizeExcludingZeroCopy());
        first.writeInt(size.totalSize());
        NettyWritable writable = new NettyWritable(allocator, first, parts);
        header.write(writable, cache, headerVersion);
        body.write(writable, cache, version);
        writable.finish();
        return parts;
    }

    /** A {@link Writable} over Netty buffers that emits file regions for records kept in segment files. */
    private static final class NettyWritable implements Writable {
        private final ByteBufAllocator allocator;
        private final List<Object> parts;
        private ByteBuf current;

        NettyWritable(ByteBufAllocator allocator, ByteBuf first, List<Object> parts) {
            this.allocator = allocator;
            this.current = first;
            this.parts = parts;
        }

        void finish() {
            parts.add(current);
        }

        @Override
        public void writeByte(byte val) {
            current.writeByte(val);
        }

        @Override
        public void writeShort(short val) {
            current.writeShort(val);
        }

        @Override
        public void writeInt(int val) {
            current.writeInt(val);
        }

        @Override
        public void writeLong(long val) {
            current.writeLong(val);
        }

        @Override
        public void writeDouble(double val) {
            current.writeDouble(val);
        }

        @Override
        public void writeByteArray(byte[] arr) {
            current.writeBytes(arr);
        }

        @Override
        public void writeUnsignedVarint(int i) {
            int value = i;
            while ((value & 0xffffff80) != 0) {
                current.writeByte((byte) ((value & 0x7f) | 0x80));
                value >>>= 7;
            }
            current.writeByte((byte) value);
        }

        @Override
        public void writeByteBuffer(ByteBuffer buf) {
            current.writeBytes(buf.duplicate());
        }

        @Override
        public void writeVarint(int i) {
            writeUnsignedVarint((i << 1) ^ (i >> 31));
        }

        @Override
        public void writeVarlong(long i) {
            long value = (i << 1) ^ (i >> 63);
            while ((value & 0xffffffffffffff80L) != 0L) {
                current.writeByte((byte) ((value & 0x7f) | 0x80));
                value >>>= 7;
            }
            current.writeByte((byte) value);
        }

        @Override
        public void writeUuid(Uuid uuid) {
            current.writeLong(uuid.getMostSignificantBits());
            current.writeLong(uuid.getLeastSignificantBits());
        }

        @Override
        public void writeRecords(BaseRecords records) {
            if (records instanceof SliceRecords slice) {
                if (slice.sizeInBytes() == 0) {
                    return;
                }
                parts.add(current);
                parts.add(new SliceRegion(slice.slice()));
                // What follows the records is small: the rest of this partition and the next ones' headers.
                current = allocator.buffer(256);
            } else if (records instanceof MemoryRecords memory) {
                current.writeBytes(memory.buffer().duplicate());
            } else {
                throw new IllegalArgumentException("cannot encode records of type " + records.getClass());
            }
        }
    }
}
