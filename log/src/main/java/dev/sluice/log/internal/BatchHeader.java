package dev.sluice.log.internal;

import java.nio.ByteBuffer;

/**
 * Field offsets of a Kafka v2 record batch header, and absolute reads over any buffer holding one. A flyweight in
 * the Agrona sense: it reads fields in place, so the append and recovery paths create no per-batch objects.
 *
 * <pre>
 * baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
 * attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 | producerId int64 |
 * producerEpoch int16 | baseSequence int32 | recordsCount int32 | records...
 * </pre>
 *
 * The CRC (CRC-32C) covers everything from {@code attributes} to the end of the batch, which is why the base offset
 * can be assigned without touching it.
 */
public final class BatchHeader {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORDS_COUNT_OFFSET = 57;
    /** Size of the header, up to and including the records count. */
    public static final int HEADER_SIZE = 61;
    /** Bytes before the length field's count starts: base offset and the length itself. */
    public static final int LOG_OVERHEAD = 12;
    public static final byte CURRENT_MAGIC = 2;

    private BatchHeader() {
    }

    public static long baseOffset(ByteBuffer buffer, int batchStart) {
        return buffer.getLong(batchStart + BASE_OFFSET_OFFSET);
    }

    /** Value of the length field: the batch's size minus {@link #LOG_OVERHEAD}. */
    public static int length(ByteBuffer buffer, int batchStart) {
        return buffer.getInt(batchStart + LENGTH_OFFSET);
    }

    public static byte magic(ByteBuffer buffer, int batchStart) {
        return buffer.get(batchStart + MAGIC_OFFSET);
    }

    public static long crc(ByteBuffer buffer, int batchStart) {
        return buffer.getInt(batchStart + CRC_OFFSET) & 0xFFFFFFFFL;
    }

    public static int lastOffsetDelta(ByteBuffer buffer, int batchStart) {
        return buffer.getInt(batchStart + LAST_OFFSET_DELTA_OFFSET);
    }

    public static long maxTimestamp(ByteBuffer buffer, int batchStart) {
        return buffer.getLong(batchStart + MAX_TIMESTAMP_OFFSET);
    }

    public static long producerId(ByteBuffer buffer, int batchStart) {
        return buffer.getLong(batchStart + PRODUCER_ID_OFFSET);
    }

    public static short producerEpoch(ByteBuffer buffer, int batchStart) {
        return buffer.getShort(batchStart + PRODUCER_EPOCH_OFFSET);
    }

    public static int baseSequence(ByteBuffer buffer, int batchStart) {
        return buffer.getInt(batchStart + BASE_SEQUENCE_OFFSET);
    }

    public static int recordsCount(ByteBuffer buffer, int batchStart) {
        return buffer.getInt(batchStart + RECORDS_COUNT_OFFSET);
    }

    public static void setBaseOffset(ByteBuffer buffer, int batchStart, long baseOffset) {
        buffer.putLong(batchStart + BASE_OFFSET_OFFSET, baseOffset);
    }
}
