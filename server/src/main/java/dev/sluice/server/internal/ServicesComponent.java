package dev.sluice.server.internal;

import dev.sluice.server.SluiceConfig;
import dev.sluice.services.SecretBox;
import dev.sluice.services.ServicesEngine;
import dev.sluice.services.ServicesEngineConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The services: one {@link ServicesEngine} that routes events on {@code sluice.events} to triggered services and runs
 * them under {@code <data.dir>/services/runs}, as this node ({@code node.name} owns its runs across restarts).
 *
 * <p>Not thread-safe: {@link dev.sluice.server.SluiceNode} serialises start and close.
 */
public final class ServicesComponent implements NodeComponent {
    private final SluiceConfig config;
    private final Supplier<String> bootstrapServers;
    private final Clock clock;
    private final MeterRegistry meters;
    private ServicesEngine engine;

    /**
     * @param clock  the system clock, or a test's (whose schedules then fire only through the engine's tick)
     * @param meters the node's registry, where the engine's meters go
     */
    public ServicesComponent(SluiceConfig config, Supplier<String> bootstrapServers, Clock clock,
                             MeterRegistry meters) {
        this.meters = meters;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "services";
    }

    @Override
    public void start() {
        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", bootstrapServers.get());
        config.authToken().ifPresent(token -> {
            kafka.put("security.protocol", "SASL_PLAINTEXT");
            kafka.put("sasl.mechanism", "PLAIN");
            kafka.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"admin\" password=\"" + token.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
        });
        SecretBox box = SecretBox.open(config.servicesSecretsKey().orElse(null), config.servicesKeyFile());
        ServicesEngineConfig engineConfig = ServicesEngineConfig.of(kafka, config.dataDir(), config.nodeName(), box)
                .withMeters(meters);
        if (clock != null) {
            engineConfig = engineConfig.withManualClock(clock);
        }
        engine = ServicesEngine.start(engineConfig);
    }

    /** The running engine; null before {@link #start()}. */
    public ServicesEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
