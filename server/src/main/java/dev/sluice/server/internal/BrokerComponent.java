package dev.sluice.server.internal;

import dev.sluice.log.LogManager;
import dev.sluice.server.SluiceConfig;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker component: for now only the log engine, opened under {@code <data.dir>/log}; the Kafka listener joins
 * it in a later build.
 *
 * <p>Not thread-safe: {@link dev.sluice.server.SluiceNode} serialises start and close.
 */
public final class BrokerComponent implements NodeComponent {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);

    private final SluiceConfig config;
    private LogManager logs;

    public BrokerComponent(SluiceConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public void start() throws IOException {
        logs = LogManager.open(config.logDir(), config.logConfig());
        LOG.info("log engine open at {} with {} partitions", config.logDir(), logs.partitions().size());
    }

    /** The open log manager; {@code null} before {@link #start()}. */
    public LogManager logs() {
        return logs;
    }

    @Override
    public void close() {
        if (logs != null) {
            // Writes each partition's clean-shutdown marker, so the next start skips recovery.
            logs.close();
        }
    }
}
