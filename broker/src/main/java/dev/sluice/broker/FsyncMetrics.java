package dev.sluice.broker;

import dev.sluice.log.LogObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * The log engine's fsyncs as meters: the {@link LogObserver} to open a {@link dev.sluice.log.LogManager} with when
 * the broker runs with metrics.
 *
 * <ul>
 *   <li>{@value #LATENCY} (timer with a histogram): how long each successful fsync took;</li>
 *   <li>{@value #FAILURES} (counter): fsyncs that failed, after which the partition goes offline.</li>
 * </ul>
 * No tags: one series per partition would be too many for what is a disk's health.
 *
 * <pre>{@code
 * try (LogManager logs = LogManager.open(dir, LogConfig.defaults(), new FsyncMetrics(registry));
 *      KafkaBroker broker = KafkaBroker.start(config, logs, registry)) { ... }
 * }</pre>
 *
 * <p>Thread-safe; recording allocates nothing.
 */
public final class FsyncMetrics implements LogObserver {
    public static final String LATENCY = "sluice.fsync.latency";
    public static final String FAILURES = "sluice.fsync.failures";

    private final Timer latency;
    private final Counter failures;

    public FsyncMetrics(MeterRegistry registry) {
        this.latency = Timer.builder(LATENCY)
                .description("Time to force a partition's appended data to disk (group commit or interval flush)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(100))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        this.failures = Counter.builder(FAILURES)
                .description("Fsyncs that failed; the partition stops taking appends")
                .register(registry);
    }

    @Override
    public void fsynced(TopicPartition partition, long nanos, boolean failed) {
        if (failed) {
            failures.increment();
        } else {
            latency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
