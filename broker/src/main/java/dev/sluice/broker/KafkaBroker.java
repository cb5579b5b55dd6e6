package dev.sluice.broker;

import dev.sluice.broker.internal.BrokerServer;
import dev.sluice.log.LogManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A Kafka-compatible broker over Sluice's log engine: existing Kafka clients connect to {@link #bootstrapServers()}
 * and produce, fetch and manage topics unchanged.
 *
 * <pre>{@code
 * try (LogManager logs = LogManager.open(dir, LogConfig.defaults());
 *      KafkaBroker broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs)) {
 *     producerProps.put("bootstrap.servers", broker.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closing the broker stops the listener; the log manager stays open and is closed by its owner.
 */
public final class KafkaBroker implements AutoCloseable {
    private final BrokerServer server;

    private KafkaBroker(BrokerServer server) {
        this.server = server;
    }

    /** Loads the topic metadata, binds the listener and returns once it accepts connections; records no metrics. */
    public static KafkaBroker start(BrokerConfig config, LogManager logs) {
        return new KafkaBroker(BrokerServer.start(config, logs));
    }

    /**
     * Starts the broker as {@link #start(BrokerConfig, LogManager)} does, with its meters in {@code registry}:
     * traffic per topic, request latency per API, open connections and consumer lag (README, "Metrics"). Open
     * {@code logs} with a {@link FsyncMetrics} on the same registry for fsync latency. Closing the broker removes
     * its meters; the registry stays its owner's.
     */
    public static KafkaBroker start(BrokerConfig config, LogManager logs, MeterRegistry registry) {
        return new KafkaBroker(BrokerServer.start(config, logs, Objects.requireNonNull(registry, "registry")));
    }

    /** The address the listener is bound to (with the real port when the config asked for port 0). */
    public InetSocketAddress boundAddress() {
        return server.boundAddress();
    }

    /** {@code host:port} to hand to clients as {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return server.advertisedHost() + ":" + server.advertisedPort();
    }

    /**
     * The client connections open now, oldest first: address, client id and software, principal, and the topics and
     * groups each has used. Internal clients of the node (the HTTP component's, the services engine's) are listed too.
     */
    public java.util.List<KafkaClientConnection> connections() {
        return server.connections();
    }

    /**
     * Produces from this process, as a Kafka client with {@code clientId} would with {@code acks=all}, but without the
     * client's sender thread and the loopback connection: the same produce pipelines (chosen by the client id),
     * meters, dead letters and durability. Completes with the base offset once the records are durable; fails with
     * the Kafka exception of the partition's error ({@code UnknownTopicOrPartitionException}, ...). For components
     * of the same node (the HTTP sources); anything else should use a Kafka client.
     */
    public java.util.concurrent.CompletableFuture<Long> produceLocally(String clientId, String topic, int partition,
                                                                       org.apache.kafka.common.record.MemoryRecords records) {
        return server.produceLocally(clientId, topic, partition, records);
    }

    @Override
    public void close() {
        server.close();
    }
}
