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

/**
 * Apache Kafka's command-line tools (kafka-topics, kafka-console-producer, kafka-console-consumer,
 * kafka-consumer-groups) against Sluice, each in its own JVM as an operator would run them.
 */
class KafkaToolsTest {
    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
    }

    @AfterEach
    void stop() {
        broker.close();
        logs.close();
    }

    private ExternalTool.Result tool(String mainClass, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dlog4j.configuration=none", mainClass));
        command.addAll(List.of(args));
        return ExternalTool.run(command, stdin, Duration.ofSeconds(90), null);
    }

    @Test
    void topicsConsoleProducerConsumerAndConsumerGroupsWork() throws Exception {
        String bootstrap = broker.bootstrapServers();
        ExternalTool.Result created = tool("org.apache.kafka.tools.TopicCommand", null,
                "--bootstrap-server", bootstrap, "--create", "--topic", "tools", "--partitions", "3",
                "--replication-factor", "1", "--config", "retention.ms=86400000");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        assertThat(created.stdout()).contains("Created topic tools.");

        ExternalTool.Result described = tool("org.apache.kafka.tools.TopicCommand", null,
                "--bootstrap-server", bootstrap, "--describe", "--topic", "tools");
        assertThat(described.exitCode()).as(described.stderr()).isZero();
        assertThat(described.stdout()).contains("PartitionCount: 3").contains("retention.ms=86400000");

        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append("k").append(i).append(":v").append(i).append('\n');
        }
        ExternalTool.Result produced = tool("kafka.tools.ConsoleProducer", lines.toString(),
                "--bootstrap-server", bootstrap, "--topic", "tools", "--property", "parse.key=true",
                "--property", "key.separator=:", "--request-required-acks", "all");
        assertThat(produced.exitCode()).as(produced.stderr()).isZero();

        ExternalTool.Result consumed = tool("org.apache.kafka.tools.consumer.ConsoleConsumer", null,
                "--bootstrap-server", bootstrap, "--topic", "tools", "--from-beginning", "--max-messages", "30",
                "--group", "tools-group", "--property", "print.key=true", "--property", "key.separator=:");
        assertThat(consumed.exitCode()).as(consumed.stderr()).isZero();
        assertThat(consumed.stdout().lines().filter(l -> l.startsWith("k")).toList()).hasSize(30)
                .contains("k0:v0", "k29:v29");

        ExternalTool.Result groups = tool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", null,
                "--bootstrap-server", bootstrap, "--describe", "--group", "tools-group");
        assertThat(groups.exitCode()).as(groups.stderr()).isZero();
        assertThat(groups.stdout()).contains("tools-group").contains("tools");
        // All 30 records were committed: the lag of every partition is 0.
        assertThat(groups.stdout().lines().filter(l -> l.startsWith("tools-group")).toList())
                .hasSize(3).allSatisfy(line -> assertThat(line.trim().split("\\s+")[5]).isEqualTo("0"));
    }
}
