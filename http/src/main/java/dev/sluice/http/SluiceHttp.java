package dev.sluice.http;

import dev.sluice.http.internal.RestServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Sluice's HTTP component: the REST API (topics, records, groups, sources), HTTP sources that take records from
 * anything that can POST, health, the OpenAPI document and Prometheus metrics, on one port. It reaches the broker with Kafka's own
 * clients, so it runs beside the broker in one process or on its own.
 *
 * <pre>{@code
 * try (SluiceHttp http = SluiceHttp.start(HttpConfig.of(new InetSocketAddress("127.0.0.1", 8080), "127.0.0.1:9092"))) {
 *     // POST http://127.0.0.1:8080/v1/topics ...
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SluiceHttp implements AutoCloseable {
    private final RestServer server;

    private SluiceHttp(RestServer server) {
        this.server = server;
    }

    /**
     * Loads the sources from the broker, binds the listener and returns once it accepts connections. Its HTTP
     * meters go to a Prometheus registry of its own, served at {@code /metrics}.
     */
    public static SluiceHttp start(HttpConfig config) {
        return new SluiceHttp(RestServer.start(config));
    }

    /**
     * As {@link #start(HttpConfig)}, with the HTTP meters ({@code sluice.http.requests}) in {@code registry}. When it
     * is a {@code PrometheusMeterRegistry}, {@code GET /metrics} serves all of it (the node's other meters too) in
     * the Prometheus text format, behind the bearer token when auth is on; otherwise {@code /metrics} answers 404.
     * The registry stays its owner's: closing this removes only the HTTP meters.
     */
    public static SluiceHttp start(HttpConfig config, MeterRegistry registry) {
        return new SluiceHttp(RestServer.start(config, Objects.requireNonNull(registry, "registry")));
    }

    /** The bound address (with the real port when the config asked for port 0). */
    public InetSocketAddress boundAddress() {
        return server.boundAddress();
    }

    /** {@code http://host:port}, the base of every API path. */
    public String url() {
        InetSocketAddress address = boundAddress();
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
