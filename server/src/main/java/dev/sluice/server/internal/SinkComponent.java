package dev.sluice.server.internal;

import dev.sluice.server.SluiceConfig;
import dev.sluice.sinks.SinkEngine;
import dev.sluice.sinks.SinkEngineConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The sinks: one {@link SinkEngine} that follows {@code _sluice_sinks} and runs a writer (and its importer) per sink,
 * data under {@code <data.dir>/sinks}. In this milestone {@code sink-writer} and {@code sink-coordinator} both run
 * this one engine (writing and coordinating are not split yet); a node that selects both runs it once.
 *
 * <p>Not thread-safe: {@link dev.sluice.server.SluiceNode} serialises start and close.
 */
public final class SinkComponent implements NodeComponent {
    private final SluiceConfig config;
    private final Supplier<String> bootstrapServers;
    private final String name;
    private final MeterRegistry meters;
    private SinkEngine engine;

    /**
     * @param name   the component's name on the command line: {@code sink-writer} or {@code sink-coordinator}
     * @param meters the node's registry, where each sink's meters go
     */
    public SinkComponent(SluiceConfig config, Supplier<String> bootstrapServers, String name, MeterRegistry meters) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.name = name;
        this.meters = meters;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", bootstrapServers.get());
        kafka.put("client.id", "sluice-sinks");
        config.authToken().ifPresent(token -> {
            kafka.put("security.protocol", "SASL_PLAINTEXT");
            kafka.put("sasl.mechanism", "PLAIN");
            kafka.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"admin\" password=\"" + token.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
        });
        engine = SinkEngine.start(SinkEngineConfig.of(kafka, config.dataDir()).withMeters(meters));
    }

    /** The running engine; null before {@link #start()}. */
    public SinkEngine engine() {
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
