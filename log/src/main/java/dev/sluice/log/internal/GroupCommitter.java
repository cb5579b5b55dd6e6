package dev.sluice.log.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.errors.KafkaStorageException;
import dev.sluice.log.AppendCallback;
import dev.sluice.log.LogObserver;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes appends after the fsync that covers them. One fsync covers every batch written while the previous one
 * ran: appends only enqueue a waiter and return, and this committer's thread forces the file and completes every
 * waiter up to the offset the fsync covered.
 *
 * <p>Thread-safe. Callbacks run on the committer's thread; callers that do heavy work should hop threads.
 */
final class GroupCommitter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    private static final int INITIAL_WAITERS = 64;

    /** What the committer needs from the log: what is written so far, how to force it, and how to publish it. */
    interface Target {
        /** The written end, taken under the writer lock. */
        LogEnd writtenEnd();

        void force(LogEnd end) throws java.io.IOException;

        void publishDurable(LogEnd end);

        void failed(Throwable cause);

        /** The log start offset, told to appends as they complete. */
        long logStartOffset();
    }

    private final Target target;
    private final TopicPartition partition;
    private final LogObserver observer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /**
     * Appends waiting for an fsync, in offset order: a ring of primitive columns (end offset, base and last offset,
     * callback), so waiting allocates nothing; it doubles when full and never shrinks. Guarded by {@link #lock}.
     */
    private long[] ends = new long[INITIAL_WAITERS];
    private long[] bases = new long[INITIAL_WAITERS];
    private long[] lasts = new long[INITIAL_WAITERS];
    private AppendCallback[] callbacks = new AppendCallback[INITIAL_WAITERS];
    private int head;
    private int size;
    private final Thread thread;
    private boolean closing;
    private volatile long fsyncs;

    /** @param observer hears of every fsync, with the partition and its duration */
    GroupCommitter(Target target, TopicPartition partition, LogObserver observer) {
        this.target = target;
        this.partition = partition;
        this.observer = observer;
        String name = "sluice-commit-" + partition;
        this.thread = Thread.ofVirtual().name(name).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Number of fsyncs done, for tests and metrics. */
    long fsyncs() {
        return fsyncs;
    }

    /**
     * Called under the writer lock, after the batches ending before {@code endOffset} are written: {@code callback}
     * hears of them after the fsync that covers them.
     */
    void await(long endOffset, long baseOffset, long lastOffset, AppendCallback callback) {
        lock.lock();
        try {
            if (!closing) {
                if (size == ends.length) {
                    grow();
                }
                int slot = (head + size) & (ends.length - 1);
                ends[slot] = endOffset;
                bases[slot] = baseOffset;
                lasts[slot] = lastOffset;
                callbacks[slot] = callback;
                size++;
                work.signal();
                return;
            }
        } finally {
            lock.unlock();
        }
        tell(callback, -1, -1, -1, new KafkaStorageException("log is closing"));
    }

    private void grow() {
        int capacity = ends.length * 2;
        long[] newEnds = new long[capacity];
        long[] newBases = new long[capacity];
        long[] newLasts = new long[capacity];
        AppendCallback[] newCallbacks = new AppendCallback[capacity];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (ends.length - 1);
            newEnds[i] = ends[from];
            newBases[i] = bases[from];
            newLasts[i] = lasts[from];
            newCallbacks[i] = callbacks[from];
        }
        ends = newEnds;
        bases = newBases;
        lasts = newLasts;
        callbacks = newCallbacks;
        head = 0;
    }

    /** Calls back; a callback that throws must not stop the committer or lose the other appends' answers. */
    private static void tell(AppendCallback callback, long base, long last, long logStart, Throwable failure) {
        try {
            callback.completed(base, last, logStart, failure);
        } catch (RuntimeException e) {
            LOG.error("an append callback failed", e);
        }
    }

    @Override
    public void run() {
        while (true) {
            lock.lock();
            try {
                while (size == 0 && !closing) {
                    work.awaitUninterruptibly();
                }
                if (size == 0) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            LogEnd end = target.writtenEnd();
            long started = System.nanoTime();
            try {
                target.force(end);
                fsyncs++;
                observed(observer, partition, System.nanoTime() - started, false);
            } catch (Throwable e) {
                observed(observer, partition, System.nanoTime() - started, true);
                KafkaStorageException failure = new KafkaStorageException("fsync failed: " + e.getMessage(), e);
                target.failed(failure);
                completeUpTo(Long.MAX_VALUE, failure);
                continue;
            }
            target.publishDurable(end);
            completeUpTo(end.offset(), null);
        }
    }

    /** Tells the observer of an fsync; an observer that throws must not stop the committer. */
    static void observed(LogObserver observer, TopicPartition partition, long nanos, boolean failed) {
        try {
            observer.fsynced(partition, nanos, failed);
        } catch (RuntimeException ignored) {
            // Metrics are best effort; durability is not.
        }
    }

    private void completeUpTo(long offset, Throwable failure) {
        long logStart = failure == null ? target.logStartOffset() : -1;
        while (true) {
            AppendCallback callback;
            long base;
            long last;
            lock.lock();
            try {
                if (size == 0 || ends[head] > offset) {
                    return;
                }
                callback = callbacks[head];
                base = bases[head];
                last = lasts[head];
                callbacks[head] = null;
                head = (head + 1) & (ends.length - 1);
                size--;
            } finally {
                lock.unlock();
            }
            if (failure == null) {
                tell(callback, base, last, logStart, null);
            } else {
                tell(callback, -1, -1, -1, failure);
            }
        }
    }

    /** Completes what is pending with a final fsync, then stops the thread. */
    void close() {
        lock.lock();
        try {
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
