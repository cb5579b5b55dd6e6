package dev.sluice.log;

/**
 * Told once how an append ended: the offsets it got when it is durable (under {@link FlushPolicy#ALWAYS}: after the
 * fsync covering it), or why it failed. The allocation-free form of {@link PartitionLog#append(java.nio.ByteBuffer)}:
 * a waiting append is kept in primitive columns, and a caller may pass the same callback object again and again.
 *
 * <p>Runs on the partition's commit thread, or on the appending thread when the append completes at once (a rejected
 * batch, a flush policy other than {@code always}, a duplicate already durable). It must not block.
 */
@FunctionalInterface
public interface AppendCallback {
    /**
     * @param baseOffset     offset of the first record appended; -1 on failure
     * @param lastOffset     offset of the last record appended; -1 on failure
     * @param logStartOffset the log start offset when the append completed; -1 on failure
     * @param failure        null on success, else the reason (the same exception types as the future's)
     */
    void completed(long baseOffset, long lastOffset, long logStartOffset, Throwable failure);
}
