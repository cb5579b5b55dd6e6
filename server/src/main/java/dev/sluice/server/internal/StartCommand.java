package dev.sluice.server.internal;

import dev.sluice.server.SluiceConfig;
import dev.sluice.server.SluiceNode;
import dev.sluice.server.SluiceNode.Component;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sluice start [component...]}: runs a node in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "start", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
        description = {"Starts a Sluice node and runs until Ctrl-C or SIGTERM.",
                "Components: broker, http, control, sink-writer, sink-coordinator, services "
                        + "(default: all)."})
public final class StartCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("sluice");

    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "COMPONENT", arity = "0..*", description = "Components to run (default: all).")
    List<String> components = new ArrayList<>();

    private final ProcessContext process;

    public StartCommand(ProcessContext process) {
        this.process = process;
    }

    @Override
    public Integer call() throws InterruptedException {
        SluiceConfig config = options.load(process).config();
        Set<Component> selected = ComponentSelection.parse(components);
        logStartup(config, selected);
        long startNanos = System.nanoTime();

        SluiceNode node = new SluiceNode(config, selected);
        AtomicBoolean stopped = new AtomicBoolean();
        // Registered before start: a Ctrl-C during start still closes what has been opened.
        process.stopSignal().onStop(() -> {
            if (stopped.compareAndSet(false, true)) {
                LOG.info("stopping");
                node.close();
                LOG.info("stopped");
            }
        });
        try {
            node.start();
        } catch (IOException | RuntimeException e) {
            stopped.set(true);
            node.close();
            LOG.error("start failed: {}", e.getMessage(), e);
            return 1;
        }
        long startMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        LOG.info("started in {} ms; Ctrl-C or SIGTERM stops", startMs);
        process.stopSignal().await();
        return 0;
    }

    private static void logStartup(SluiceConfig config, Set<Component> selected) {
        LOG.info("Sluice {} starting node '{}'", BuildInfo.version(), config.nodeName());
        Set<Component> missing = EnumSet.complementOf(EnumSet.copyOf(Component.available()));
        LOG.info("components: {}{}", Component.names(selected),
                missing.isEmpty() ? "" : " (not in this build yet: " + Component.names(missing) + ")");
        LOG.info("data dir: {}", config.dataDir());
        LOG.info("log flush policy: {}", config.logConfig().flushPolicy().name().toLowerCase(Locale.ROOT));
        LOG.info("listen: kafka {} (advertised {}), http {}", config.kafkaListen(), config.kafkaAdvertised(),
                config.httpListen());
        if (config.authToken().isEmpty()) {
            LOG.warn("running without authentication: anyone who can reach Sluice can read and write; "
                    + "set SLUICE_AUTH_TOKEN (auth.token) to require a token");
        } else {
            LOG.info("authentication: token required; Kafka clients use SASL (PLAIN or SCRAM) as user 'admin', "
                    + "HTTP clients 'Authorization: Bearer <token>'");
        }
    }
}
