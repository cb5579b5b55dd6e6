package dev.sluice.log.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Checks record batches on the way into the log: structure, size, magic and CRC. Runs on the appending thread,
 * before the writer lock, so CRC work of concurrent appenders proceeds in parallel. Allocation-free.
 *
 * <p>Thread-safe: each thread uses its own checksum.
 */
public final class BatchValidator {
    private static final ThreadLocal<CRC32C> CRC = ThreadLocal.withInitial(CRC32C::new);

    private BatchValidator() {
    }

    /**
     * Validates every batch between the buffer's position and limit. The buffer's position and limit are the same
     * afterwards.
     *
     * @return the number of batches
     */
    public static int validate(ByteBuffer buffer, int maxBatchBytes) {
        int start = buffer.position();
        int end = buffer.limit();
        if (start == end) {
            throw new CorruptRecordException("append holds no record batch");
        }
        int batches = 0;
        int at = start;
        while (at < end) {
            int remaining = end - at;
            if (remaining < BatchHeader.HEADER_SIZE) {
                throw new CorruptRecordException("batch at byte " + (at - start) + " is truncated: " + remaining
                        + " bytes left, a header needs " + BatchHeader.HEADER_SIZE);
            }
            int length = BatchHeader.length(buffer, at);
            if (length < BatchHeader.HEADER_SIZE - BatchHeader.LOG_OVERHEAD) {
                throw new CorruptRecordException("batch at byte " + (at - start) + " has length " + length
                        + ", below the header size");
            }
            long size = (long) length + BatchHeader.LOG_OVERHEAD;
            if (size > remaining) {
                throw new CorruptRecordException("batch at byte " + (at - start) + " declares " + size
                        + " bytes but only " + remaining + " follow");
            }
            if (size > maxBatchBytes) {
                throw new RecordTooLargeException("batch of " + size + " bytes exceeds max.message.bytes "
                        + maxBatchBytes);
            }
            byte magic = BatchHeader.magic(buffer, at);
            if (magic != BatchHeader.CURRENT_MAGIC) {
                throw new InvalidRecordException("batch magic " + magic + " is not supported, only magic 2");
            }
            if (BatchHeader.lastOffsetDelta(buffer, at) < 0 || BatchHeader.recordsCount(buffer, at) < 0) {
                throw new CorruptRecordException("batch at byte " + (at - start)
                        + " has a negative last offset delta or record count");
            }
            long stored = BatchHeader.crc(buffer, at);
            long computed = crc32c(buffer, at + BatchHeader.ATTRIBUTES_OFFSET, at + (int) size);
            if (stored != computed) {
                throw new CorruptRecordException("batch at byte " + (at - start) + " fails its CRC: stored "
                        + stored + ", computed " + computed);
            }
            at += (int) size;
            batches++;
        }
        buffer.position(start).limit(end);
        return batches;
    }

    /** CRC-32C of {@code buffer[from, to)}; leaves position and limit as they were. */
    public static long crc32c(ByteBuffer buffer, int from, int to) {
        int position = buffer.position();
        int limit = buffer.limit();
        CRC32C crc = CRC.get();
        crc.reset();
        buffer.limit(to).position(from);
        crc.update(buffer);
        buffer.limit(limit).position(position);
        return crc.getValue();
    }
}
