package dev.sluice.broker.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.TopicPartition;

/**
 * Fetches waiting for data (long polls): each registers for the partitions it reads, and is woken when one of them
 * gets new readable records. A woken fetch re-reads and either answers or waits on.
 *
 * <p>Thread-safe.
 */
final class FetchWaiters {
    private final Map<TopicPartition, List<Runnable>> waiting = new ConcurrentHashMap<>();

    /** Calls {@code wake} once when any of the partitions gets new data; returns a handle to cancel. */
    Runnable await(List<TopicPartition> partitions, Runnable wake) {
        Runnable once = new Runnable() {
            private final java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public void run() {
                if (fired.compareAndSet(false, true)) {
                    for (TopicPartition tp : partitions) {
                        remove(tp, this);
                    }
                    wake.run();
                }
            }
        };
        for (TopicPartition tp : partitions) {
            waiting.computeIfAbsent(tp, k -> new CopyOnWriteArrayList<>()).add(once);
        }
        return () -> {
            for (TopicPartition tp : partitions) {
                remove(tp, once);
            }
        };
    }

    private void remove(TopicPartition tp, Runnable waiter) {
        List<Runnable> list = waiting.get(tp);
        if (list != null) {
            list.remove(waiter);
        }
    }

    /** New data is readable in {@code tp}. */
    void notifyNewData(TopicPartition tp) {
        List<Runnable> list = waiting.get(tp);
        if (list != null && !list.isEmpty()) {
            for (Runnable waiter : list) {
                waiter.run();
            }
        }
    }
}
