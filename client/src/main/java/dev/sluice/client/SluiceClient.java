package dev.sluice.client;

import dev.sluice.client.internal.AudienceState;
import dev.sluice.client.internal.ControlConnection;
import dev.sluice.control.api.Audience;
import dev.sluice.control.api.Direction;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Sluice's Java SDK: Kafka producers and consumers (kafka-clients) that run the pipelines of their audiences
 * in-process. The client registers its service with the control plane over gRPC and gets each audience's pipelines
 * pushed, again whenever they change; it keeps the last ones while the server is unreachable.
 *
 * <pre>{@code
 * try (SluiceClient sluice = SluiceClient.builder("http://127.0.0.1:8080", "checkout").produces("orders").start();
 *      SluiceProducer<String> producer = sluice.producer(props, new StringSerializer())) {
 *     producer.send(new ProducerRecord<>("orders", "k1", json.getBytes(UTF_8))).get();
 * }
 * }</pre>
 *
 * <p>The SDK's Kafka clients get the client id {@code sluice-sdk/<service>/<n>}: the broker does not run pipelines
 * again for records an SDK client already ran them on.
 */
public final class SluiceClient implements AutoCloseable {
    /** The prefix of SDK clients' {@code client.id}; the broker leaves their records to the SDK's pipelines. */
    public static final String CLIENT_ID_PREFIX = dev.sluice.pipelines.AudienceSpec.SDK_CLIENT_ID_PREFIX;

    private final String serviceName;
    private final ControlConnection connection;
    private final AtomicInteger clients = new AtomicInteger();

    private SluiceClient(String serviceName, ControlConnection connection) {
        this.serviceName = serviceName;
        this.connection = connection;
    }

    /**
     * @param controlUrl  the Sluice HTTP address (the control plane is served on the HTTP port), e.g.
     *                    {@code http://127.0.0.1:8080}
     * @param serviceName the name audiences use for this service (no '/')
     */
    public static Builder builder(String controlUrl, String serviceName) {
        return new Builder(controlUrl, serviceName);
    }

    public String serviceName() {
        return serviceName;
    }

    /** Whether the client holds a live session with the control plane now. */
    public boolean connected() {
        return connection.registered();
    }

    public String sessionId() {
        return connection.sessionId();
    }

    /** A producer of byte-array values whose records run the topic's produce pipelines before they are sent. */
    public <K> SluiceProducer<K> producer(Properties config, Serializer<K> keySerializer) {
        return new SluiceProducer<>(this, withClientId(config), keySerializer);
    }

    /** A consumer of byte-array values whose records run the topic's consume pipelines before poll returns them. */
    public <K> SluiceConsumer<K> consumer(Properties config, Deserializer<K> keyDeserializer) {
        return new SluiceConsumer<>(this, withClientId(config), keyDeserializer);
    }

    AudienceState audience(String topic, Direction direction) {
        return connection.audience(Audience.newBuilder().setServiceName(serviceName).setTopic(topic)
                .setDirection(direction).build());
    }

    /**
     * The pipelines this client runs now for a topic, as {@code id@version} in order (empty when none, or paused):
     * what the control plane last pushed.
     */
    public List<String> activePipelines(String topic, boolean produce) {
        var chain = audience(topic, produce ? Direction.DIRECTION_PRODUCE : Direction.DIRECTION_CONSUME).chain();
        return chain == null ? List.of()
                : chain.pipelines().stream().map(p -> p.id() + "@" + p.version()).toList();
    }

    /** Sends the metric counters to the control plane now (they also go every metrics interval). */
    public void reportMetrics() {
        connection.reportNow();
    }

    private Properties withClientId(Properties config) {
        Properties copy = new Properties();
        copy.putAll(config);
        copy.put(CommonClientConfigs.CLIENT_ID_CONFIG, CLIENT_ID_PREFIX + serviceName + "/"
                + clients.incrementAndGet());
        return copy;
    }

    @Override
    public void close() {
        connection.close();
    }

    /** How to reach the control plane and which audiences to declare up front. */
    public static final class Builder {
        private final String controlUrl;
        private final String serviceName;
        private final List<Audience> audiences = new ArrayList<>();
        private String authToken;
        private Duration metricsInterval = Duration.ofSeconds(10);
        private Duration startWait = Duration.ofSeconds(5);

        private Builder(String controlUrl, String serviceName) {
            this.controlUrl = Objects.requireNonNull(controlUrl, "controlUrl");
            if (serviceName == null || serviceName.isBlank() || serviceName.contains("/")) {
                throw new IllegalArgumentException("service name '" + serviceName + "' must be a name without '/'");
            }
            this.serviceName = serviceName;
        }

        public Builder authToken(String token) {
            this.authToken = token;
            return this;
        }

        /** Topics this service produces to: their pipelines are fetched before {@link #start()} returns. */
        public Builder produces(String... topics) {
            for (String topic : topics) {
                audiences.add(Audience.newBuilder().setServiceName(serviceName).setTopic(topic)
                        .setDirection(Direction.DIRECTION_PRODUCE).build());
            }
            return this;
        }

        /** Topics this service consumes: their pipelines are fetched before {@link #start()} returns. */
        public Builder consumes(String... topics) {
            for (String topic : topics) {
                audiences.add(Audience.newBuilder().setServiceName(serviceName).setTopic(topic)
                        .setDirection(Direction.DIRECTION_CONSUME).build());
            }
            return this;
        }

        public Builder metricsInterval(Duration interval) {
            this.metricsInterval = interval;
            return this;
        }

        /** How long {@link #start()} waits for the control plane (then goes on without pipelines). */
        public Builder startWait(Duration wait) {
            this.startWait = wait;
            return this;
        }

        /** Registers with the control plane and waits (up to the start wait) for the declared audiences' pipelines. */
        public SluiceClient start() {
            ControlConnection connection = new ControlConnection(URI.create(controlUrl), serviceName, authToken,
                    audiences, metricsInterval);
            connection.start(startWait);
            return new SluiceClient(serviceName, connection);
        }
    }
}
