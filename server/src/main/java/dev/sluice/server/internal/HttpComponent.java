package dev.sluice.server.internal;

import dev.sluice.broker.KafkaBroker;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.SluiceHttp;
import dev.sluice.server.SluiceConfig;
import dev.sluice.services.SecretBox;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The HTTP component: REST API, HTTP sources, health and the node's metrics ({@code /metrics}) on
 * {@code http.listen}. It talks to the broker with Kafka's clients: the broker of the same node when there is one,
 * otherwise the one at {@code kafka.advertised}; and seals services' secrets with {@code services.secrets.key}, or
 * else the key file under the data directory.
 *
 * <p>Not thread-safe: {@link dev.sluice.server.SluiceNode} serialises start and close.
 */
public final class HttpComponent implements NodeComponent {
    private final SluiceConfig config;
    private final Supplier<String> bootstrapServers;
    private final MeterRegistry registry;
    private final Supplier<KafkaBroker> localBroker;
    private SluiceHttp http;

    /**
     * @param bootstrapServers the broker to use, asked at start (the node's own broker is bound by then)
     * @param registry         the node's registry: the HTTP meters go there, and {@code /metrics} serves all of it
     */
    public HttpComponent(SluiceConfig config, Supplier<String> bootstrapServers, MeterRegistry registry) {
        this(config, bootstrapServers, registry, null);
    }

    /** @param localBroker the node's own broker, asked at start; null when the node runs none */
    public HttpComponent(SluiceConfig config, Supplier<String> bootstrapServers, MeterRegistry registry,
                         Supplier<KafkaBroker> localBroker) {
        this.localBroker = localBroker;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void start() {
        SluiceConfig.Address listen = config.httpListen();
        // The same key as the services engines', so what one seals the other opens.
        HttpConfig httpConfig = HttpConfig.of(new InetSocketAddress(listen.host(), listen.port()),
                bootstrapServers.get()).withServicesSecrets(SecretBox.open(config.servicesSecretsKey().orElse(null),
                config.servicesKeyFile())).withLocalBroker(localBroker == null ? null : localBroker.get());
        http = SluiceHttp.start(config.authToken().map(httpConfig::withAuthToken).orElse(httpConfig), registry);
    }

    /** {@code http://host:port}; null before {@link #start()}. */
    public String url() {
        return http == null ? null : http.url();
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
    }
}
