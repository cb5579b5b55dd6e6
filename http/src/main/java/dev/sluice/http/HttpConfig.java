package dev.sluice.http;

import dev.sluice.broker.KafkaBroker;
import dev.sluice.services.SecretBox;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What the HTTP component needs: where to listen, which broker to talk to, and its limits.
 *
 * @param listen              address of the HTTP listener (port 0 picks a free one)
 * @param bootstrapServers    the Kafka broker the REST API and the sources write to and read from
 * @param authToken           bearer token required on the API, and the broker's superuser password; null for none
 * @param maxBodyBytes        largest request body accepted (413 beyond), for the API and for ingestion
 * @param sourceInFlightBytes bytes one source may have accepted but not yet acknowledged (429 beyond)
 * @param totalInFlightBytes  the same over every source together (503 beyond)
 * @param servicesSecrets     seals and opens services' secrets (the same key as the services engines'); null: the
 *                            secrets routes answer 503
 * @param localBroker         the broker running in the same process (the same node), or null: with one, HTTP
 *                            sources append to it directly rather than through a Kafka producer, and
 *                            {@code GET /v1/connections} lists its connections (503 without one)
 */
public record HttpConfig(InetSocketAddress listen, String bootstrapServers, String authToken, long maxBodyBytes,
                         long sourceInFlightBytes, long totalInFlightBytes, SecretBox servicesSecrets,
                         KafkaBroker localBroker) {
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final long DEFAULT_SOURCE_IN_FLIGHT_BYTES = 32L * 1024 * 1024;
    public static final long DEFAULT_TOTAL_IN_FLIGHT_BYTES = 128L * 1024 * 1024;

    public HttpConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (maxBodyBytes <= 0 || sourceInFlightBytes <= 0 || totalInFlightBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** Open (no auth), with the default limits. */
    public static HttpConfig of(InetSocketAddress listen, String bootstrapServers) {
        return new HttpConfig(listen, bootstrapServers, null, DEFAULT_MAX_BODY_BYTES, DEFAULT_SOURCE_IN_FLIGHT_BYTES,
                DEFAULT_TOTAL_IN_FLIGHT_BYTES, null, null);
    }

    public HttpConfig withAuthToken(String token) {
        return new HttpConfig(listen, bootstrapServers, token, maxBodyBytes, sourceInFlightBytes, totalInFlightBytes,
                servicesSecrets, localBroker);
    }

    public HttpConfig withLimits(long maxBodyBytes, long sourceInFlightBytes, long totalInFlightBytes) {
        return new HttpConfig(listen, bootstrapServers, authToken, maxBodyBytes, sourceInFlightBytes,
                totalInFlightBytes, servicesSecrets, localBroker);
    }

    public HttpConfig withServicesSecrets(SecretBox box) {
        return new HttpConfig(listen, bootstrapServers, authToken, maxBodyBytes, sourceInFlightBytes,
                totalInFlightBytes, box, localBroker);
    }

    /**
     * The broker of the same process ({@code bootstrapServers} must be its address): HTTP sources append to it
     * directly, and {@code GET /v1/connections} lists its connections.
     */
    public HttpConfig withLocalBroker(KafkaBroker broker) {
        return new HttpConfig(listen, bootstrapServers, authToken, maxBodyBytes, sourceInFlightBytes,
                totalInFlightBytes, servicesSecrets, broker);
    }

    @Override
    public String toString() {
        // Never the token or the secrets key.
        return "HttpConfig[listen=" + listen + ", bootstrapServers=" + bootstrapServers + ", auth="
                + (authToken != null) + ", maxBodyBytes=" + maxBodyBytes + ", servicesSecrets="
                + (servicesSecrets != null) + ", localBroker=" + (localBroker != null) + "]";
    }
}
