package dev.sluice.testkit;

import dev.sluice.log.LogManager;
import dev.sluice.server.SluiceConfig;
import dev.sluice.server.SluiceNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Sluice node running inside the test's JVM, for JUnit tests: the same {@link SluiceNode} that {@code sluice start}
 * runs, with its data in a temporary directory unless the test names one.
 *
 * <pre>{@code
 * try (EmbeddedSluice sluice = EmbeddedSluice.builder().config("log.flush", "none").build().start()) {
 *     sluice.logs().createTopic("orders", 3, sluice.config().logConfig());
 *     // Kafka clients use sluice.bootstrapServers(), HTTP clients sluice.httpUrl()
 *     sluice.restart(); // a clean stop and start on the same data, on the same ports
 * }
 * }</pre>
 *
 * <p>The environment and {@code sluice.yaml} are not read: only defaults and the builder's settings apply, so tests
 * do not depend on the machine they run on. Thread-safe.
 */
public final class EmbeddedSluice implements AutoCloseable {
    private SluiceConfig config;
    private final boolean ownsDataDir;
    private final java.time.Clock servicesClock;
    private SluiceNode node;
    private boolean closed;

    private EmbeddedSluice(SluiceConfig config, boolean ownsDataDir, java.time.Clock servicesClock) {
        this.servicesClock = servicesClock;
        this.config = config;
        this.ownsDataDir = ownsDataDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the node.
     *
     * @return this, to chain after {@link Builder#build()}
     * @throws IllegalStateException when already started or closed
     */
    public synchronized EmbeddedSluice start() {
        if (closed || node != null) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        node = startNode();
        return this;
    }

    /** Stops the node cleanly and starts a new one on the same data, as a restart of the process would. */
    public synchronized void restart() {
        if (node == null) {
            throw new IllegalStateException("not started");
        }
        // The restarted node keeps the port, so clients holding the bootstrap address reconnect to it.
        int port = node.kafkaPort();
        java.net.URI http = node.components().contains(SluiceNode.Component.HTTP)
                ? java.net.URI.create(node.httpUrl()) : null;
        node.close();
        node = null;
        config = new SluiceConfig(config.dataDir(), config.nodeName(),
                new SluiceConfig.Address(config.kafkaListen().host(), port),
                config.kafkaAdvertised().port() == 0 || config.kafkaAdvertised().equals(config.kafkaListen())
                        ? new SluiceConfig.Address(config.kafkaListen().host(), port) : config.kafkaAdvertised(),
                http == null ? config.httpListen() : new SluiceConfig.Address(config.httpListen().host(), http.getPort()),
                config.authToken(), config.servicesSecretsKey(), config.logConfig());
        node = startNode();
    }

    private SluiceNode startNode() {
        SluiceNode started = new SluiceNode(config, SluiceNode.Component.available(), servicesClock);
        try {
            started.start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded Sluice failed to start in " + config.dataDir(), e);
        }
        return started;
    }

    /**
     * The running node's log engine.
     *
     * @throws IllegalStateException when not started
     */
    /** The running node's services engine (see {@link Builder#servicesClock}). */
    public synchronized dev.sluice.services.ServicesEngine services() {
        if (node == null) {
            throw new IllegalStateException("not started");
        }
        return node.services();
    }

    public synchronized LogManager logs() {
        if (node == null) {
            throw new IllegalStateException("not started");
        }
        return node.logs();
    }

    /**
     * {@code host:port} to hand Kafka clients as {@code bootstrap.servers}.
     *
     * @throws IllegalStateException when not started
     */
    public synchronized String bootstrapServers() {
        if (node == null) {
            throw new IllegalStateException("not started");
        }
        return node.bootstrapServers();
    }

    /**
     * {@code http://host:port} of the REST API and HTTP sources.
     *
     * @throws IllegalStateException when not started
     */
    public synchronized String httpUrl() {
        if (node == null) {
            throw new IllegalStateException("not started");
        }
        return node.httpUrl();
    }

    public synchronized SluiceConfig config() {
        return config;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** Stops the node; deletes the data directory when the builder created it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (node != null) {
            node.close();
            node = null;
        }
        if (ownsDataDir) {
            deleteRecursively(config.dataDir());
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path visited, IOException failure) throws IOException {
                    Files.delete(visited);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Settings for an {@link EmbeddedSluice}; keys as in {@code sluice.yaml}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private java.time.Clock servicesClock;

        private Builder() {
            // No host-name lookup in tests, and a name that says where the node runs.
            settings.put("node.name", "embedded");
            // A free port for each node, so tests run side by side.
            settings.put("kafka.listen", "127.0.0.1:0");
            settings.put("http.listen", "127.0.0.1:0");
        }

        /** Keeps the data in {@code dir}, which outlives the node (default: a temporary directory deleted on close). */
        public Builder dataDir(Path dir) {
            return config("data.dir", dir.toAbsolutePath().toString());
        }

        /** Sets one key, e.g. {@code config("log.flush", "none")}. */
        public Builder config(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /**
         * Gives the services engine this clock; its schedules then fire only when the test calls
         * {@code services().tick(now)}.
         */
        public Builder servicesClock(java.time.Clock clock) {
            this.servicesClock = clock;
            return this;
        }

        /** Sets several keys. */
        public Builder config(Map<String, String> values) {
            settings.putAll(values);
            return this;
        }

        /**
         * Validates the settings and creates the node, not started yet.
         *
         * @throws IllegalArgumentException naming the key when a key is unknown or a value invalid
         */
        public EmbeddedSluice build() {
            Map<String, String> resolved = new LinkedHashMap<>(settings);
            if (resolved.containsKey("data.dir")) {
                return new EmbeddedSluice(SluiceConfig.fromSettings(resolved), false, servicesClock);
            }
            Path temp = createTempDir();
            resolved.put("data.dir", temp.toString());
            try {
                return new EmbeddedSluice(SluiceConfig.fromSettings(resolved), true, servicesClock);
            } catch (RuntimeException e) {
                deleteRecursively(temp);
                throw e;
            }
        }

        private static Path createTempDir() {
            try {
                return Files.createTempDirectory("sluice-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary data directory", e);
            }
        }
    }
}
