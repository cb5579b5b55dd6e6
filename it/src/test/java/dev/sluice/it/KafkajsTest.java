package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.broker.BrokerConfig;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kafkajs from npm: admin, producer with acks=all, and a consumer group, through it/src/test/js/roundtrip.js. */
class KafkajsTest {
    private static final Path JS = Path.of(System.getProperty("sluice.it.js", "src/test/js"));

    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        ExternalTool.require("node", "apt-get install nodejs");
        boolean installed = Files.isDirectory(JS.resolve("node_modules/kafkajs"));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("kafkajs is not installed; .ci/run must run npm ci in " + JS);
        }
        assumeTrue(installed, "kafkajs is not installed: run npm ci in " + JS);
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
            logs.close();
        }
    }

    @Test
    void kafkajsProducesAndConsumesInAGroup() throws Exception {
        ExternalTool.Result result = ExternalTool.run(List.of("node", "roundtrip.js", broker.bootstrapServers(),
                "kafkajs-topic", "kafkajs-group", "300"), null, Duration.ofSeconds(90), JS);

        assertThat(result.exitCode()).as(result.stderr() + result.stdout()).isZero();
        assertThat(result.stdout().trim()).isEqualTo("{\"partitionsWritten\":2,\"consumed\":300}");
    }
}
