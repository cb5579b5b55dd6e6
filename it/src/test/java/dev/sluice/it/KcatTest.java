package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.BrokerConfig;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** librdkafka, through Debian's kcat: metadata, produce with keys, consume from the beginning. */
class KcatTest {
    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        ExternalTool.require("kcat", "apt-get install kcat");
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

    private ExternalTool.Result kcat(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", broker.bootstrapServers()));
        command.addAll(List.of(args));
        return ExternalTool.run(command, stdin, Duration.ofSeconds(60), null);
    }

    @Test
    void kcatProducesKeyedRecordsAndConsumesThemBack() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            lines.append("key-").append(i).append(':').append("value-").append(i).append('\n');
        }
        ExternalTool.Result produced = kcat(lines.toString(), "-P", "-t", "kcat-topic", "-K:", "-p", "0",
                "-X", "acks=all");
        assertThat(produced.exitCode()).as(produced.stderr()).isZero();

        ExternalTool.Result consumed = kcat(null, "-C", "-t", "kcat-topic", "-o", "beginning", "-e", "-q",
                "-f", "%k=%s@%o\n");
        assertThat(consumed.exitCode()).as(consumed.stderr()).isZero();
        List<String> records = consumed.stdout().lines().toList();
        assertThat(records).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(records.get(i)).isEqualTo("key-" + i + "=value-" + i + "@" + i);
        }
    }

    @Test
    void aRunningKcatConsumerIsListedAsALibrdkafkaConnectionFetchingItsTopic() throws Exception {
        kcat("x\n", "-P", "-t", "kcat-live");
        Process consumer = new ProcessBuilder("kcat", "-b", broker.bootstrapServers(), "-C", "-t", "kcat-live",
                "-o", "beginning", "-q", "-X", "client.id=kcat-tail").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(broker.connections()).anySatisfy(c -> {
                        assertThat(c.clientId()).isEqualTo("kcat-tail");
                        assertThat(c.softwareName()).isEqualTo("librdkafka");
                        assertThat(c.fetchesFrom()).containsExactly("kcat-live");
                    }));
        } finally {
            consumer.destroy();
            consumer.waitFor();
        }
    }

    @Test
    void kcatListsMetadata() throws Exception {
        kcat("x\n", "-P", "-t", "listed");
        ExternalTool.Result metadata = kcat(null, "-L");
        assertThat(metadata.exitCode()).as(metadata.stderr()).isZero();
        assertThat(metadata.stdout()).contains("1 brokers:").contains("topic \"listed\" with 1 partitions");
    }

    @Test
    void kcatProducesWithEveryCodec() throws Exception {
        for (String codec : List.of("gzip", "snappy", "lz4", "zstd")) {
            ExternalTool.Result produced = kcat("a\nb\nc\n", "-P", "-t", "codec-" + codec, "-z", codec);
            assertThat(produced.exitCode()).as(codec + ": " + produced.stderr()).isZero();
            ExternalTool.Result consumed = kcat(null, "-C", "-t", "codec-" + codec, "-o", "beginning", "-e", "-q");
            assertThat(consumed.stdout().lines().toList()).as(codec).containsExactly("a", "b", "c");
        }
    }

    @Test
    void kcatConsumesInABalancedConsumerGroupAndCommits() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            lines.append("m").append(i).append('\n');
        }
        assertThat(kcat(lines.toString(), "-P", "-t", "grouped").exitCode()).isZero();

        ExternalTool.Result consumed = kcat(null, "-G", "kcat-group", "-o", "beginning", "-e", "-q",
                "-X", "enable.auto.commit=true", "-X", "auto.commit.interval.ms=100", "grouped");
        assertThat(consumed.exitCode()).as(consumed.stderr()).isZero();
        assertThat(consumed.stdout().lines().toList()).hasSize(100).contains("m0", "m99");
    }
}
