package dev.sluice.services.internal.engine;

import dev.sluice.services.Run;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The engine's meters: what became of the events it read, how runs ended per service, how long they took, and the
 * delay from an event's publication (its Kafka timestamp) to its run starting, which is the figure issue 7 asks to
 * keep low. Per-service meters are created on first use (Micrometer keeps one per tag set).
 *
 * <p>Thread-safe.
 */
final class ServiceMeters {
    static final String EVENTS = "sluice.services.events";
    static final String RUNS = "sluice.service.runs";
    static final String RUN_DURATION = "sluice.service.run.duration";
    static final String START_DELAY = "sluice.services.start.delay";

    private final MeterRegistry registry;
    private final Counter routed;
    private final Counter unmatched;
    private final Counter duplicates;
    private final Counter deadLettered;
    private final Timer startDelay;

    ServiceMeters(MeterRegistry registry) {
        this.registry = registry;
        this.routed = events("routed", "Events that queued at least one run");
        this.unmatched = events("unmatched", "Events no trigger or built-in route matched");
        this.duplicates = events("duplicate", "Events whose runs were all recorded already (redelivered)");
        this.deadLettered = events("dead_lettered", "Records that are not CloudEvents, sent to the dead-letter topic");
        this.startDelay = Timer.builder(START_DELAY)
                .description("From an event's Kafka timestamp to its run starting (unpacking, then the first step)")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    private Counter events(String result, String description) {
        return Counter.builder(EVENTS).tag("result", result).description(description).register(registry);
    }

    void routed() {
        routed.increment();
    }

    void unmatched() {
        unmatched.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void started(long publishedAtMillis, long startedAtMillis) {
        if (publishedAtMillis > 0) {
            startDelay.record(Duration.ofMillis(Math.max(0, startedAtMillis - publishedAtMillis)));
        }
    }

    void finished(Run run) {
        Counter.builder(RUNS).tag("service", run.service()).tag("status", run.status().wireName())
                .description("Runs that ended, by status").register(registry).increment();
        if (run.started() != null && run.finished() != null) {
            Timer.builder(RUN_DURATION).tag("service", run.service())
                    .description("Runs from start to end, all attempts and backoffs included").register(registry)
                    .record(Duration.between(run.started(), run.finished()));
        }
    }
}
