package dev.sluice.log;

/**
 * The answer to a read: whole record batches as a file slice, and the log's bounds at the time of the read.
 *
 * @param records        batches starting with the one that holds the requested offset; empty at the end of the log
 * @param highWatermark  the offset after the last readable record (under {@link FlushPolicy#ALWAYS}: the last durable)
 * @param logStartOffset the first offset still in the log
 * @param nextOffset     the offset after the whole batches in {@code records}, so a read covers offsets from the one
 *                       asked for up to this one (for metrics). Exact when the slice runs to the readable end or to
 *                       its segment's end; when {@code maxBytes} cuts it short, the offset of the last batch the
 *                       sparse index knows inside it (low by at most one index interval of records). The offset
 *                       asked for when {@code records} is empty.
 */
public record ReadResult(LogSlice records, long highWatermark, long logStartOffset, long nextOffset) {
}
