package dev.sluice.server.internal;

import dev.sluice.broker.BrokerAuth;
import dev.sluice.broker.BrokerConfig;
import dev.sluice.broker.FsyncMetrics;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.log.LogManager;
import dev.sluice.server.SluiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker component: the log engine under {@code <data.dir>/log} and the Kafka listener on {@code kafka.listen}.
 * With {@code auth.token} set the listener requires SASL (PLAIN, SCRAM-SHA-256/512) and enforces ACLs; the
 * superuser {@value #SUPERUSER} logs in with the token and creates other users and their ACLs with Kafka's admin APIs.
 *
 * <p>Not thread-safe: {@link dev.sluice.server.SluiceNode} serialises start and close.
 */
public final class BrokerComponent implements NodeComponent {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);
    /** The Kafka listener's superuser when {@code auth.token} is set; its password is the token. */
    public static final String SUPERUSER = "admin";

    private final SluiceConfig config;
    private final MeterRegistry registry;
    private LogManager logs;
    private KafkaBroker broker;

    /** @param registry where the broker's and the log engine's meters go */
    public BrokerComponent(SluiceConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public void start() throws IOException {
        logs = LogManager.open(config.logDir(), config.logConfig(), new FsyncMetrics(registry));
        LOG.info("log engine open at {} with {} partitions", config.logDir(), logs.partitions().size());
        SluiceConfig.Address listen = config.kafkaListen();
        SluiceConfig.Address advertised = config.kafkaAdvertised();
        boolean advertiseListen = advertised.equals(listen);
        broker = KafkaBroker.start(new BrokerConfig(
                new InetSocketAddress(listen.host(), listen.port()),
                advertiseListen ? null : advertised.host(),
                advertiseListen ? 0 : advertised.port(),
                0,
                clusterId(config.dataDir()),
                BrokerConfig.DEFAULT_MAX_FRAME_BYTES,
                true,
                1,
                config.logConfig(),
                config.authToken().map(token -> BrokerAuth.sasl(SUPERUSER, token)).orElse(BrokerAuth.disabled())),
                logs, registry);
    }

    /** The cluster id, created on first start and kept in {@code <data.dir>/cluster-id}. */
    private static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("cluster-id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.createDirectories(dataDir);
        Files.writeString(file, id + "\n", StandardCharsets.US_ASCII);
        return id;
    }

    /** The open log manager; {@code null} before {@link #start()}. */
    public LogManager logs() {
        return logs;
    }

    /** {@code host:port} for Kafka clients; {@code null} before {@link #start()}. */
    public String bootstrapServers() {
        return broker == null ? null : broker.bootstrapServers();
    }

    /** The port the Kafka listener is bound to; 0 before {@link #start()}. */
    /** The running broker; null before start. */
    public KafkaBroker broker() {
        return broker;
    }

    public int boundPort() {
        return broker == null ? 0 : broker.boundAddress().getPort();
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
        if (logs != null) {
            // Writes each partition's clean-shutdown marker, so the next start skips recovery.
            logs.close();
        }
    }
}
