package dev.sluice.broker.internal;

import dev.sluice.log.LogManager;
import dev.sluice.log.PartitionLog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag as gauges: {@value #NAME} with tags {@code group}, {@code topic}, {@code partition}, for every
 * committed offset, valued at the partition's high watermark minus the committed offset (never below 0), as
 * {@code kafka-consumer-groups --describe} shows it. A gauge appears with the first commit and goes when the offset
 * does. The committed offset is kept in the gauge's own state, so a scrape takes no group lock.
 *
 * <p>Thread-safe.
 */
final class GroupLagMeters implements CommittedOffsetsListener, AutoCloseable {
    static final String NAME = "sluice.group.lag";

    private record Key(String groupId, TopicPartition partition) {
    }

    /** One gauge's state: the last committed offset, and the log to compare it with. */
    private static final class Lag {
        private final TopicPartition partition;
        private final LogManager logs;
        private volatile long committed;
        private Gauge gauge;

        Lag(TopicPartition partition, LogManager logs) {
            this.partition = partition;
            this.logs = logs;
        }

        double value() {
            Optional<PartitionLog> log = logs.partition(partition);
            return log.isEmpty() ? Double.NaN : Math.max(0, log.get().highWatermark() - committed);
        }
    }

    private final MeterRegistry registry;
    private final LogManager logs;
    private final Map<Key, Lag> lags = new ConcurrentHashMap<>();

    GroupLagMeters(MeterRegistry registry, LogManager logs) {
        this.registry = registry;
        this.logs = logs;
    }

    @Override
    public void committed(String groupId, TopicPartition partition, long offset) {
        Key key = new Key(groupId, partition);
        Lag lag = lags.get(key);
        if (lag == null) {
            lag = lags.computeIfAbsent(key, k -> register(k, offset));
        }
        lag.committed = offset;
    }

    private Lag register(Key key, long offset) {
        Lag lag = new Lag(key.partition(), logs);
        lag.committed = offset;
        lag.gauge = Gauge.builder(NAME, lag, Lag::value)
                .tags(Tags.of("group", key.groupId(), "topic", key.partition().topic(),
                        "partition", Integer.toString(key.partition().partition())))
                .description("Records of the partition the group has not committed: high watermark minus the"
                        + " committed offset")
                .strongReference(true)
                .register(registry);
        return lag;
    }

    @Override
    public void removed(String groupId, TopicPartition partition) {
        Lag lag = lags.remove(new Key(groupId, partition));
        if (lag != null) {
            registry.remove(lag.gauge);
        }
    }

    @Override
    public void close() {
        for (Key key : List.copyOf(lags.keySet())) {
            removed(key.groupId(), key.partition());
        }
    }
}
