package dev.sluice.log.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.errors.KafkaStorageException;
import dev.sluice.log.AppendResult;
import dev.sluice.log.LogObserver;
import org.apache.kafka.common.TopicPartition;

/**
 * Completes appends after the fsync that covers them. One fsync covers every batch written while the previous one
 * ran: appends only enqueue a waiter and return, and this committer's thread forces the file and completes every
 * waiter up to the offset the fsync covered.
 *
 * <p>Thread-safe. Futures complete on the committer's thread; callers that do heavy work should hop threads.
 */
final class GroupCommitter implements Runnable {

    /** What the committer needs from the log: what is written so far, how to force it, and how to publish it. */
    interface Target {
        /** The written end, taken under the writer lock. */
        LogEnd writtenEnd();

        void force(LogEnd end) throws java.io.IOException;

        void publishDurable(LogEnd end);

        void failed(Throwable cause);
    }

    /** An append's future that also remembers what it waits for, so a waiting append is one object. */
    private static final class Waiter extends CompletableFuture<AppendResult> {
        private final long endOffset;
        private final AppendResult result;

        Waiter(long endOffset, AppendResult result) {
            this.endOffset = endOffset;
            this.result = result;
        }
    }

    private final Target target;
    private final TopicPartition partition;
    private final LogObserver observer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
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

    /** Called under the writer lock, after the batches ending before {@code endOffset} are written. */
    CompletableFuture<AppendResult> await(long endOffset, AppendResult result) {
        Waiter waiter = new Waiter(endOffset, result);
        lock.lock();
        try {
            if (closing) {
                waiter.completeExceptionally(new KafkaStorageException("log is closing"));
                return waiter;
            }
            waiters.addLast(waiter);
            work.signal();
        } finally {
            lock.unlock();
        }
        return waiter;
    }

    @Override
    public void run() {
        while (true) {
            lock.lock();
            try {
                while (waiters.isEmpty() && !closing) {
                    work.awaitUninterruptibly();
                }
                if (waiters.isEmpty()) {
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
        while (true) {
            Waiter waiter;
            lock.lock();
            try {
                waiter = waiters.peekFirst();
                if (waiter == null || waiter.endOffset > offset) {
                    return;
                }
                waiters.pollFirst();
            } finally {
                lock.unlock();
            }
            if (failure == null) {
                waiter.complete(waiter.result);
            } else {
                waiter.completeExceptionally(failure);
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
