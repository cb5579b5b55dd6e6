package dev.sluice.broker;

import java.time.Instant;
import java.util.Set;

/**
 * One open Kafka connection as the broker sees it now: who the peer says it is, and what it has done. Kafka itself
 * has no API for this; Redpanda's admin API lists connections the same way.
 *
 * @param id              the broker's number for the connection, unique while the broker runs
 * @param address         the peer's {@code host:port}
 * @param clientId        the {@code client.id} of its latest request; null before its first request
 * @param softwareName    the client library, as ApiVersions v3+ names it ({@code apache-kafka-java},
 *                        {@code librdkafka}); null when the client does not say (older clients, kafkajs)
 * @param softwareVersion the client library's version; null when not said
 * @param principal       the authenticated principal ({@code User:alice}); null before SASL authentication
 * @param connectedAt     when the connection was accepted
 * @param lastRequestAt   when its latest request arrived; null before the first
 * @param requests        requests received so far
 * @param producesTo      topics it has produced to (the first {@value #MAX_NAMES})
 * @param fetchesFrom     topics it has fetched from (the first {@value #MAX_NAMES})
 * @param groups          consumer groups it has joined or committed offsets for (the first {@value #MAX_NAMES})
 */
public record KafkaClientConnection(long id, String address, String clientId, String softwareName,
                                    String softwareVersion, String principal, Instant connectedAt,
                                    Instant lastRequestAt, long requests, Set<String> producesTo,
                                    Set<String> fetchesFrom, Set<String> groups) {
    /** How many topic or group names a connection keeps of each kind: enough to draw it, bounded per client. */
    public static final int MAX_NAMES = 64;

    public KafkaClientConnection {
        producesTo = Set.copyOf(producesTo);
        fetchesFrom = Set.copyOf(fetchesFrom);
        groups = Set.copyOf(groups);
    }
}
