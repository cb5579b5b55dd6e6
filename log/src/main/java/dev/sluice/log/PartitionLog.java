package dev.sluice.log;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The log of one partition: Kafka v2 record batches stored verbatim in segment files, with offsets assigned on append.
 *
 * <p>Thread-safe. Appends from many threads are serialised by the log's single writer; reads run concurrently with
 * appends and with each other.
 *
 * <pre>{@code
 * AppendResult result = log.append(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes())).buffer())
 *                          .join();
 * ReadResult read = log.read(result.baseOffset(), 1 << 20);
 * read.records().transferTo(socketChannel);
 * }</pre>
 */
public interface PartitionLog extends AutoCloseable {

    TopicPartition topicPartition();

    LogConfig config();

    /**
     * Validates the batches in {@code batches} (from its position to its limit), assigns them the next offsets and
     * writes them. The buffer's base offset fields are overwritten; nothing else in it changes, so CRCs stay valid.
     *
     * <p>Under {@link FlushPolicy#ALWAYS} the future completes after the fsync that covers the batches.
     *
     * @return the offsets assigned; fails with {@link org.apache.kafka.common.errors.CorruptRecordException} for a bad
     *     CRC, size or structure, {@link org.apache.kafka.common.InvalidRecordException} for a magic other than
     *     2, {@link org.apache.kafka.common.errors.RecordTooLargeException} for a batch over
     *     {@link LogConfig#maxBatchBytes()}, {@link org.apache.kafka.common.errors.KafkaStorageException} when the disk
     *     fails. A rejected append leaves the log as it was.
     */
    default CompletableFuture<AppendResult> append(ByteBuffer batches) {
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        append(batches, (base, last, logStart, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(new AppendResult(base, last, logStart));
            }
        });
        return result;
    }

    /**
     * As {@link #append(ByteBuffer)}, telling {@code callback} instead of completing a future: nothing is allocated
     * per append, which matters on the broker's produce path.
     */
    void append(ByteBuffer batches, AppendCallback callback);

    /**
     * Reads whole batches starting with the one that holds {@code offset}. At least one batch is returned, even one
     * larger than {@code maxBytes}, so a consumer always makes progress.
     *
     * @throws org.apache.kafka.common.errors.OffsetOutOfRangeException below the log start or above the high watermark
     */
    ReadResult read(long offset, int maxBytes);

    /** The first record whose timestamp is at or after {@code timestamp}, if any is readable. */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp);

    /** First offset still in the log. */
    long logStartOffset();

    /** Offset after the last readable record: under {@link FlushPolicy#ALWAYS}, the last durable one. */
    long highWatermark();

    /** Offset the next append will get. */
    long logEndOffset();

    /** Bytes the log's segments occupy on disk. */
    long sizeInBytes();

    /** Number of segment files. */
    int segmentCount();

    /**
     * Moves the log start offset forward to {@code offset} (Kafka's DeleteRecords) and deletes the segments wholly
     * below it. Durable when the method returns.
     *
     * @return the new log start offset
     */
    long deleteRecordsBefore(long offset);

    /** Replaces the settings; takes effect on the next append, flush or maintenance run. */
    void reconfigure(LogConfig config);

    /** Forces everything written so far to disk. */
    void flush();

    /**
     * Runs retention and, for compacted logs, compaction once; the log manager calls this periodically.
     *
     * @return the number of segments deleted or rewritten
     */
    int runMaintenance();

    /** Flushes, writes the clean-shutdown marker and releases files. Appends after close fail. */
    @Override
    void close();
}
