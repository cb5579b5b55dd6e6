package dev.sluice.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.BrokerAuth;
import dev.sluice.broker.BrokerConfig;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real broker and a real HTTP component on free ports in a temp directory, and a JDK HTTP client to call them.
 */
final class HttpFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final LogManager logs;
    private final KafkaBroker broker;
    private final UnaryOperator<HttpConfig> configure;
    private final String token;
    private final MeterRegistry registry;
    private SluiceHttp http;
    private boolean brokerStopped;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The answer to a call: its status, body as JSON (or null) and raw text. */
    record Reply(int status, JsonNode json, String text, HttpResponse<String> response) {
        String errorCode() {
            return json == null ? null : json.path("error").path("code").asText(null);
        }
    }

    HttpFixture(Path dir, String token, UnaryOperator<HttpConfig> configure) throws IOException {
        this(dir, token, configure, null);
    }

    /** @param registry the HTTP component's meters; null for the component's own Prometheus registry */
    HttpFixture(Path dir, String token, UnaryOperator<HttpConfig> configure, MeterRegistry registry)
            throws IOException {
        this.token = token;
        this.registry = registry;
        this.configure = configure;
        this.logs = LogManager.open(dir, LogConfig.defaults());
        BrokerConfig config = BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults());
        if (token != null) {
            config = config.withAuth(BrokerAuth.sasl("admin", token));
        }
        this.broker = KafkaBroker.start(config, logs);
        startHttp();
    }

    HttpFixture(Path dir) throws IOException {
        this(dir, null, UnaryOperator.identity());
    }

    void startHttp() {
        // As in a node that runs both: sources append to this broker directly, the API lists its connections.
        HttpConfig config = HttpConfig.of(new InetSocketAddress("127.0.0.1", 0), broker.bootstrapServers())
                .withLocalBroker(broker);
        if (token != null) {
            config = config.withAuthToken(token);
        }
        http = registry == null ? SluiceHttp.start(configure.apply(config))
                : SluiceHttp.start(configure.apply(config), registry);
    }

    void stopHttp() {
        http.close();
    }

    String url() {
        return http.url();
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Kafka client settings for this broker, with the superuser's login when auth is on. */
    Map<String, Object> kafkaConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrapServers());
        if (token != null) {
            config.put("security.protocol", "SASL_PLAINTEXT");
            config.put("sasl.mechanism", "PLAIN");
            config.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"admin\" password=\"" + token + "\";");
        }
        return config;
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET(), true);
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).DELETE(), true);
    }

    Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), true);
    }

    /** A POST of any body with its content type. */
    Reply post(String path, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), true);
    }

    Reply put(String path, String body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body)), true);
    }

    Reply patch(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)), true);
    }

    /** Sends a request as built, with the bearer token when {@code authorized} and auth is on. */
    Reply send(HttpRequest.Builder request, boolean authorized) {
        if (authorized && token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("application/json") && !response.body().isEmpty()) {
                json = JSON.readTree(response.body());
            }
            return new Reply(response.statusCode(), json, response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the Kafka listener, so the HTTP component's produces stay in flight unanswered. */
    void stopBroker() {
        broker.close();
        brokerStopped = true;
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        if (!brokerStopped) {
            broker.close();
        }
        logs.close();
    }
}
