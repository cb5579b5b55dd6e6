package dev.sluice.broker.internal;

import dev.sluice.broker.BrokerConfig;
import dev.sluice.log.LogManager;
import dev.sluice.log.PartitionLog;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * What handlers share: the config, the advertised address, the topic registry, the logs, the waiters for new
 * data, and the meters. Thread-safe.
 */
final class BrokerContext {
    private final BrokerConfig config;
    private final TopicRegistry topics;
    private final LogManager logs;
    private final FetchWaiters waiters;
    private final ProducerIds producerIds;
    private final MetadataLog metadata;
    private final FetchSessions fetchSessions = new FetchSessions(FetchSessions.DEFAULT_CAPACITY, System::nanoTime);
    private final java.util.concurrent.ScheduledExecutorService timer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("sluice-fetch-timer").factory());
    private final java.util.concurrent.ExecutorService blocking =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private volatile String advertisedHost;
    private volatile int advertisedPort;

    private final BrokerMetrics metrics;
    private final GroupLagMeters groupLag;
    private final BrokerPipelines pipelines;
    private final SideTopics sideTopics;
    private final PipelineNotifier notifier;
    private final TailSamples tailSamples;

    /** A context without metrics. */
    BrokerContext(BrokerConfig config, TopicRegistry topics, LogManager logs, FetchWaiters waiters,
                  ProducerIds producerIds, MetadataLog metadata) {
        this(config, topics, logs, waiters, producerIds, metadata, BrokerMetrics.none());
    }

    BrokerContext(BrokerConfig config, TopicRegistry topics, LogManager logs, FetchWaiters waiters,
                  ProducerIds producerIds, MetadataLog metadata, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.groupLag = new GroupLagMeters(metrics.registry(), logs);
        this.config = config;
        this.metadata = metadata;
        this.producerIds = producerIds;
        this.topics = topics;
        this.logs = logs;
        this.waiters = waiters;
        this.pipelines = new BrokerPipelines(this);
        this.sideTopics = new SideTopics(this);
        this.notifier = new PipelineNotifier(sideTopics);
        this.tailSamples = new TailSamples(pipelines.catalog(), sideTopics);
        // What inferSchema steps learn is published to the catalog topic, where the REST API shows it and where a
        // restarted broker picks up the versions.
        pipelines.catalog().schemas().onChange((audience, versioned) -> sideTopics.append(
                dev.sluice.pipelines.PipelineCatalog.TOPIC,
                dev.sluice.pipelines.PipelineCatalog.schemaKey(audience).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                dev.sluice.pipelines.PipelineCatalog.json(versioned), new org.apache.kafka.common.header.Header[0],
                System.currentTimeMillis()));
    }

    /** Samples of records before and after pipelines, for open tails. */
    TailSamples tailSamples() {
        return tailSamples;
    }

    /** The pipelines attached to topics, followed from {@code _sluice_pipelines}. */
    BrokerPipelines pipelines() {
        return pipelines;
    }

    /** Topics the broker writes to itself: dead letters, ops events. */
    SideTopics sideTopics() {
        return sideTopics;
    }

    PipelineNotifier notifier() {
        return notifier;
    }

    BrokerConfig config() {
        return config;
    }

    TopicRegistry topics() {
        return topics;
    }

    /** Virtual threads for work that waits: metadata changes, which append to the metadata log and fsync. */
    java.util.concurrent.Executor blocking() {
        return blocking;
    }

    /** Deadlines of long-polling fetches. */
    java.util.concurrent.ScheduledExecutorService timer() {
        return timer;
    }

    /** The broker's meters. */
    BrokerMetrics metrics() {
        return metrics;
    }

    /** The consumer lag gauges, fed by the group coordinator. */
    GroupLagMeters groupLag() {
        return groupLag;
    }

    void close() {
        timer.shutdownNow();
        blocking.shutdownNow();
        groupLag.close();
        metrics.close();
    }

    ProducerIds producerIds() {
        return producerIds;
    }

    /** The incremental fetch sessions of all clients. */
    FetchSessions fetchSessions() {
        return fetchSessions;
    }

    FetchWaiters waiters() {
        return waiters;
    }

    LogManager logs() {
        return logs;
    }

    MetadataLog metadata() {
        return metadata;
    }

    /** The partition's log, if the topic exists and has that partition. */
    Optional<PartitionLog> log(String topic, int partition) {
        if (topics.topic(topic).isEmpty()) {
            return Optional.empty();
        }
        return logs.partition(new TopicPartition(topic, partition));
    }

    void advertise(String host, int port) {
        this.advertisedHost = host;
        this.advertisedPort = port;
    }

    String advertisedHost() {
        return advertisedHost;
    }

    int advertisedPort() {
        return advertisedPort;
    }
}
