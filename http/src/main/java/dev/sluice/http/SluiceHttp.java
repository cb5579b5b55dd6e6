package dev.sluice.http;

import dev.sluice.http.internal.RestServer;
import java.net.InetSocketAddress;

/**
 * Sluice's HTTP component: the REST API (topics, records, groups, sources), HTTP sources that take records from
 * anything that can POST, health, and the OpenAPI document, on one port. It reaches the broker with Kafka's own
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

    /** Loads the sources from the broker, binds the listener and returns once it accepts connections. */
    public static SluiceHttp start(HttpConfig config) {
        return new SluiceHttp(RestServer.start(config));
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
