package dev.sluice.server;

import dev.sluice.log.LogManager;
import dev.sluice.server.internal.BrokerComponent;
import dev.sluice.server.internal.HttpComponent;
import dev.sluice.server.internal.NodeMetrics;
import dev.sluice.server.internal.NodeComponent;
import dev.sluice.server.internal.ServicesComponent;
import dev.sluice.server.internal.SinkComponent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Sluice node: the composition root that builds the components a {@link SluiceConfig} asks for, starts them in
 * order and closes them in reverse. The node's meters live in one Prometheus registry (tagged {@code node}) that the
 * components share and the HTTP component serves at {@code /metrics}. {@code sluice start} and the testkit's {@code EmbeddedSluice} both run one.
 *
 * <pre>{@code
 * try (SluiceNode node = new SluiceNode(SluiceConfig.fromSettings(Map.of("data.dir", dir.toString())))) {
 *     node.start();
 *     node.logs().createTopic("orders", 3, node.config().logConfig());
 * }
 * }</pre>
 *
 * <p>Thread-safe: start and close are serialised, so a shutdown hook may close a node that is still starting.
 */
public final class SluiceNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceNode.class);

    /** The components {@code sluice start} accepts by name, in start order. */
    public enum Component {
        BROKER(true),
        HTTP(true),
        CONTROL(true),
        SINK_WRITER(true),
        SINK_COORDINATOR(true),
        SERVICES(true);

        private final boolean available;

        Component(boolean available) {
            this.available = available;
        }

        /** The name on the command line: {@code broker}, {@code sink-writer}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Whether this build contains the component; the others are on the roadmap. */
        public boolean isAvailable() {
            return available;
        }

        /**
         * Returns this component if this build has it.
         *
         * @throws IllegalArgumentException naming the component and the available ones otherwise
         */
        public Component requireAvailable() {
            if (!available) {
                throw new IllegalArgumentException("component '" + cliName()
                        + "' is not available yet in this build (available: " + names(available()) + ")");
            }
            return this;
        }

        public static Set<Component> available() {
            return Arrays.stream(values()).filter(Component::isAvailable)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(Component.class)));
        }

        /** {@code broker, http, ...}: for messages. */
        public static String names(Set<Component> components) {
            return components.stream().map(Component::cliName).collect(Collectors.joining(", "));
        }
    }

    private final SluiceConfig config;
    private final Set<Component> components;
    private final Deque<NodeComponent> started = new ArrayDeque<>();
    private NodeMetrics metrics;
    private BrokerComponent broker;
    private HttpComponent http;
    private SinkComponent sinks;
    private ServicesComponent services;
    private final java.time.Clock servicesClock;
    private boolean closed;

    /** A node with every component this build has. */
    public SluiceNode(SluiceConfig config) {
        this(config, Component.available());
    }

    /** @throws IllegalArgumentException when a component is not in this build yet */
    public SluiceNode(SluiceConfig config, Set<Component> components) {
        this(config, components, null);
    }

    /**
     * A node whose services engine uses {@code servicesClock} and fires schedules only when a test calls
     * {@code services().tick(now)}; null for the system clock and real-time schedules.
     */
    public SluiceNode(SluiceConfig config, Set<Component> components, java.time.Clock servicesClock) {
        this.servicesClock = servicesClock;
        this.config = Objects.requireNonNull(config, "config");
        components.forEach(Component::requireAvailable);
        EnumSet<Component> inStartOrder = EnumSet.noneOf(Component.class);
        inStartOrder.addAll(components);
        this.components = Collections.unmodifiableSet(inStartOrder);
    }

    /**
     * Starts the components in order. When one fails, those already started are closed again before the exception
     * propagates.
     *
     * @throws IllegalStateException when started twice or after close
     */
    public synchronized void start() throws IOException {
        if (closed || !started.isEmpty()) {
            throw new IllegalStateException(closed ? "node is closed" : "node is already started");
        }
        metrics = new NodeMetrics(config.nodeName());
        try {
            for (Component component : components) {
                NodeComponent instance = create(component);
                started.push(instance);
                instance.start();
            }
        } catch (IOException | RuntimeException e) {
            closeStarted();
            closeMetrics();
            metrics = null;
            throw e;
        }
    }

    private NodeComponent create(Component component) {
        return switch (component) {
            case BROKER -> broker = new BrokerComponent(config, metrics.registry());
            case HTTP -> http = httpComponent();
            // One engine for both in this milestone: the second of them selected shares the first's.
            case SINK_WRITER, SINK_COORDINATOR -> sinks == null
                    ? sinks = new SinkComponent(config, this::componentBootstrapServers, component.cliName(),
                            metrics.registry())
                    : new SharedComponent(component.cliName());
            // The control plane is served on the HTTP listener (gRPC and gRPC-Web beside REST): alone, it starts it.
            case CONTROL -> http != null ? new SharedComponent(component.cliName())
                    : (http = httpComponent());
            case SERVICES -> services = new ServicesComponent(config, this::componentBootstrapServers,
                    servicesClock, metrics.registry());
        };
    }

    /**
     * The HTTP component; with the node's broker (started before it), sources append to it directly and its
     * connections are listed.
     */
    private HttpComponent httpComponent() {
        BrokerComponent own = broker;
        return new HttpComponent(config, this::componentBootstrapServers, metrics.registry(),
                own == null ? null : own::broker);
    }

    /** This node's broker when it runs one, otherwise the one at {@code kafka.advertised}. */
    private String componentBootstrapServers() {
        return broker != null ? broker.bootstrapServers()
                : config.kafkaAdvertised().host() + ":" + config.kafkaAdvertised().port();
    }

    /** A component that runs in another one's instance (sink-coordinator beside sink-writer). */
    private record SharedComponent(String name) implements NodeComponent {
        @Override
        public void start() {
        }

        @Override
        public void close() {
        }
    }

    /**
     * The sink engine.
     *
     * @throws IllegalStateException when the node runs no sink component or is not started
     */
    public dev.sluice.sinks.SinkEngine sinks() {
        if (sinks == null || sinks.engine() == null) {
            throw new IllegalStateException("the sinks are not running: start a node with sink-writer or "
                    + "sink-coordinator");
        }
        return sinks.engine();
    }

    /**
     * The services engine.
     *
     * @throws IllegalStateException when the node runs no services component or is not started
     */
    public synchronized dev.sluice.services.ServicesEngine services() {
        if (services == null || services.engine() == null) {
            throw new IllegalStateException("the services are not running: start a node with the services component");
        }
        return services.engine();
    }

    public SluiceConfig config() {
        return config;
    }

    /** The components this node runs, in start order. */
    public Set<Component> components() {
        return components;
    }

    /**
     * The broker's log engine.
     *
     * @throws IllegalStateException when the node runs no broker or is not started
     */
    public synchronized LogManager logs() {
        if (broker == null || broker.logs() == null || closed) {
            throw new IllegalStateException("the log engine is not running: start a node with the broker component");
        }
        return broker.logs();
    }

    /**
     * {@code host:port} to hand Kafka clients as {@code bootstrap.servers}.
     *
     * @throws IllegalStateException when the node runs no broker or is not started
     */
    public synchronized String bootstrapServers() {
        logs();
        return broker.bootstrapServers();
    }

    /** The port the Kafka listener is bound to, useful when {@code kafka.listen} asked for port 0. */
    public synchronized int kafkaPort() {
        logs();
        return broker.boundPort();
    }

    /**
     * {@code http://host:port} of the REST API and HTTP sources.
     *
     * @throws IllegalStateException when the node runs no HTTP component or is not started
     */
    public synchronized String httpUrl() {
        if (http == null || http.url() == null || closed) {
            throw new IllegalStateException("the HTTP component is not running: start a node with the http component");
        }
        return http.url();
    }

    /** Closes the started components in reverse start order, then the meter registry; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeStarted();
        closeMetrics();
    }

    private void closeMetrics() {
        if (metrics != null) {
            metrics.close();
        }
    }

    private void closeStarted() {
        while (!started.isEmpty()) {
            NodeComponent component = started.pop();
            try {
                component.close();
            } catch (RuntimeException e) {
                // Keep closing the rest: a component that fails to stop must not keep the others' files open.
                LOG.error("closing component {} failed", component.name(), e);
            }
        }
    }
}
