package dev.sluice.broker;

import dev.sluice.log.LogConfig;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Settings of the Kafka listener.
 *
 * @param listen            address to bind; port 0 picks a free one
 * @param advertisedHost    host clients are told to connect to; null means the bound address
 * @param advertisedPort    port clients are told to connect to; 0 means the bound port
 * @param nodeId            this broker's id in metadata responses
 * @param clusterId         the cluster id reported to clients
 * @param maxFrameBytes     largest request frame accepted; larger frames close the connection
 * @param autoCreateTopics  whether Metadata and Produce create unknown topics
 * @param defaultPartitions partitions of an auto-created topic, and of CreateTopics asking for the default
 * @param logDefaults       settings of new partition logs unless a topic overrides them
 * @param auth              SASL authentication and ACLs, or {@link BrokerAuth#disabled()}
 */
public record BrokerConfig(
        InetSocketAddress listen,
        String advertisedHost,
        int advertisedPort,
        int nodeId,
        String clusterId,
        int maxFrameBytes,
        boolean autoCreateTopics,
        int defaultPartitions,
        LogConfig logDefaults,
        BrokerAuth auth) {

    public static final int DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

    public BrokerConfig {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("max frame bytes must be positive");
        }
        if (defaultPartitions <= 0) {
            throw new IllegalArgumentException("default partitions must be positive");
        }
        Objects.requireNonNull(auth, "auth");
    }

    /** An open broker on {@code listen} with defaults for everything else, as tests and embedded use want it. */
    public static BrokerConfig of(InetSocketAddress listen, LogConfig logDefaults) {
        return new BrokerConfig(listen, null, 0, 0, "sluice-cluster", DEFAULT_MAX_FRAME_BYTES, true, 1,
                logDefaults, BrokerAuth.disabled());
    }

    /** This config with other auth settings. */
    public BrokerConfig withAuth(BrokerAuth auth) {
        return new BrokerConfig(listen, advertisedHost, advertisedPort, nodeId, clusterId, maxFrameBytes,
                autoCreateTopics, defaultPartitions, logDefaults, auth);
    }
}
