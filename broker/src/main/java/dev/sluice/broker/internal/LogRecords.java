package dev.sluice.broker.internal;

import dev.sluice.log.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

/** Reads a whole partition log record by record: how the broker's internal topics are replayed at start. */
final class LogRecords {
    private LogRecords() {
    }

    /** Calls {@code action} with every record from the log start to the high watermark, in offset order. */
    static void forEach(PartitionLog log, Consumer<Record> action) {
        forEach(log, log.logStartOffset(), action);
    }

    /**
     * Calls {@code action} with every record from {@code from} (or the log start, if later) to the high watermark.
     *
     * @return the offset after the last record read: where the next call starts
     */
    static long forEach(PartitionLog log, long from, Consumer<Record> action) {
        long offset = Math.max(from, log.logStartOffset());
        while (offset < log.highWatermark()) {
            ByteBuffer bytes;
            try {
                bytes = log.read(offset, 1 << 20).records().read();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + log.topicPartition(), e);
            }
            long next = offset;
            for (RecordBatch batch : MemoryRecords.readableRecords(bytes).batches()) {
                for (Record record : batch) {
                    // A read starts at the batch holding the offset, which may begin before it.
                    if (record.offset() >= offset) {
                        action.accept(record);
                    }
                }
                next = batch.lastOffset() + 1;
            }
            if (next == offset) {
                break;
            }
            offset = next;
        }
        return offset;
    }
}
