package dev.sluice.server.internal.cli;

import dev.sluice.server.SluiceConfig;
import dev.sluice.server.SluiceNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Sluice node with its HTTP API on a free port, for the CLI tests that talk to a server: one per test class,
 * with a {@link CliRunner} whose {@code SLUICE_URL} points at it.
 */
final class LiveSluice implements AutoCloseable {
    private final SluiceNode node;
    private final String url;
    private final CliRunner cli;

    private LiveSluice(SluiceNode node, String url, Path workDir) {
        this.node = node;
        this.url = url;
        this.cli = new CliRunner(Map.of("SLUICE_URL", url), workDir);
    }

    static LiveSluice start(Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        SluiceNode node = new SluiceNode(SluiceConfig.fromSettings(Map.of("data.dir", data.toString(),
                "kafka.listen", "127.0.0.1:0", "http.listen", "127.0.0.1:0")));
        node.start();
        try {
            return new LiveSluice(node, node.httpUrl(), dir);
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
    }

    String url() {
        return url;
    }

    /** The node's Kafka listener, for tests that write what no command writes (a services engine's runs). */
    String bootstrapServers() {
        return node.bootstrapServers();
    }

    CliRunner cli() {
        return cli;
    }

    @Override
    public void close() {
        node.close();
    }
}
