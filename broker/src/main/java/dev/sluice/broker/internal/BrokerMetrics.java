package dev.sluice.broker.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The broker's meters (the "probe" of the Kafka listener): traffic per topic, request latency per API, open
 * connections. Meters are looked up once and kept: per topic in a map keyed by the topic name, per API in an array
 * indexed by the API key, so a request never builds a meter id. Closing removes every meter it registered.
 *
 * <p>Thread-safe.
 */
final class BrokerMetrics implements AutoCloseable {
    static final String BYTES_IN = "sluice.topic.bytes.in";
    static final String RECORDS_IN = "sluice.topic.records.in";
    static final String BYTES_OUT = "sluice.topic.bytes.out";
    static final String RECORDS_OUT = "sluice.topic.records.out";
    static final String REQUEST_LATENCY = "sluice.kafka.request.latency";
    static final String CONNECTIONS = "sluice.kafka.connections";

    /** Meters of one topic. */
    record TopicMeters(Counter bytesIn, Counter recordsIn, Counter bytesOut, Counter recordsOut) {
        private Set<Meter> all() {
            return Set.of(bytesIn, recordsIn, bytesOut, recordsOut);
        }
    }

    /** Meters of one audience's pipelines as the broker runs them. */
    record PipelineMeters(Counter records, Counter bytes, Counter errors, Counter dropped, Counter deadLettered) {
        void add(RecordPipelines.Outcome outcome) {
            records.increment(outcome.records());
            bytes.increment(outcome.bytes());
            errors.increment(outcome.errors());
            dropped.increment(outcome.dropped() - outcome.deadLetters().size());
            deadLettered.increment(outcome.deadLetters().size());
        }
    }

    private final MeterRegistry registry;
    private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final Map<String, PipelineMeters> pipelines = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<Timer> requestTimers;
    private final AtomicInteger connections = new AtomicInteger();
    private final Gauge connectionsGauge;
    private volatile boolean closed;

    BrokerMetrics(MeterRegistry registry) {
        this.registry = registry;
        int maxId = 0;
        for (ApiKeys key : ApiKeys.values()) {
            maxId = Math.max(maxId, key.id);
        }
        this.requestTimers = new AtomicReferenceArray<>(maxId + 1);
        this.connectionsGauge = Gauge.builder(CONNECTIONS, connections, AtomicInteger::get)
                .description("Open Kafka client connections")
                .register(registry);
    }

    /** Meters that go nowhere, for a broker started without a registry. */
    static BrokerMetrics none() {
        return new BrokerMetrics(new CompositeMeterRegistry());
    }

    MeterRegistry registry() {
        return registry;
    }

    /** The topic's meters, registered on first use. */
    TopicMeters topic(String name) {
        TopicMeters meters = topics.get(name);
        return meters != null ? meters : topics.computeIfAbsent(name, this::registerTopic);
    }

    private TopicMeters registerTopic(String name) {
        return new TopicMeters(
                Counter.builder(BYTES_IN).tag("topic", name)
                        .description("Bytes of record batches appended by produce requests").register(registry),
                Counter.builder(RECORDS_IN).tag("topic", name)
                        .description("Records appended by produce requests").register(registry),
                Counter.builder(BYTES_OUT).tag("topic", name)
                        .description("Bytes of record batches sent in fetch responses").register(registry),
                Counter.builder(RECORDS_OUT).tag("topic", name)
                        .description("Offsets covered by fetch responses (records, counting compacted gaps)")
                        .register(registry));
    }

    /**
     * The meters of an audience's pipelines run in the broker ({@code where="broker"}; the control plane reports
     * the SDK's under the same names with {@code where="sdk"}).
     */
    PipelineMeters pipeline(String audience) {
        PipelineMeters meters = pipelines.get(audience);
        return meters != null ? meters : pipelines.computeIfAbsent(audience, a -> new PipelineMeters(
                pipelineCounter("sluice.pipeline.records", a, "Records run through an audience's pipelines"),
                pipelineCounter("sluice.pipeline.bytes", a, "Bytes of values run through an audience's pipelines"),
                pipelineCounter("sluice.pipeline.errors", a, "Steps that answered error"),
                pipelineCounter("sluice.pipeline.dropped", a, "Records a pipeline dropped"),
                pipelineCounter("sluice.pipeline.dead.lettered", a, "Records a pipeline sent to a dead-letter topic")));
    }

    private Counter pipelineCounter(String name, String audience, String description) {
        return Counter.builder(name).tag("audience", audience).tag("where", "broker").description(description)
                .register(registry);
    }

    /** Removes a deleted topic's meters, so its series end rather than linger. */
    void topicDeleted(String name) {
        TopicMeters meters = topics.remove(name);
        if (meters != null) {
            meters.all().forEach(registry::remove);
        }
    }

    /**
     * The latency timer of an API, with a histogram, registered on first use: only the APIs clients actually call
     * get series. (Prometheus needs one type per metric name, so every API has the histogram, not just produce and
     * fetch.)
     */
    Timer requestTimer(ApiKeys api) {
        Timer timer = requestTimers.get(api.id);
        if (timer == null) {
            // The registry hands every racing caller the same timer.
            timer = Timer.builder(REQUEST_LATENCY)
                    .tag("api", api.name().toLowerCase(Locale.ROOT))
                    .description("Time from a request's arrival to its response being ready (fetch includes its"
                            + " long poll)")
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1).dividedBy(10))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry);
            requestTimers.set(api.id, timer);
        }
        return timer;
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        registry.remove(connectionsGauge);
        for (int i = 0; i < requestTimers.length(); i++) {
            Timer timer = requestTimers.get(i);
            if (timer != null) {
                registry.remove(timer);
            }
        }
        for (String topic : Set.copyOf(topics.keySet())) {
            topicDeleted(topic);
        }
    }
}
