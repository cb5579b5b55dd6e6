package dev.sluice.log;

/**
 * The answer to a read: whole record batches as a file slice, and the log's bounds at the time of the read.
 *
 * @param records        batches starting with the one that holds the requested offset; empty at the end of the log
 * @param highWatermark  the offset after the last readable record (under {@link FlushPolicy#ALWAYS}: the last durable)
 * @param logStartOffset the first offset still in the log
 */
public record ReadResult(LogSlice records, long highWatermark, long logStartOffset) {
}
