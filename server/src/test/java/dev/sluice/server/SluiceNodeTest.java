package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.SluiceNode.Component;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SluiceNodeTest {
    @TempDir
    Path dir;

    @Test
    void startOpensTheLogEngineUnderDataDirLogAndServesHttp() throws Exception {
        try (SluiceNode node = new SluiceNode(config())) {
            node.start();

            assertThat(node.components()).containsExactly(Component.BROKER, Component.HTTP, Component.CONTROL,
                Component.SINK_WRITER, Component.SINK_COORDINATOR, Component.SERVICES);
            assertThat(node.logs().dir()).isEqualTo(dir.resolve("log"));
            java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.httpUrl() + "/health/ready")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(dir.resolve("log")).isDirectory();
        }
    }

    @Test
    void theSinkComponentsRunOneEngineThatLandsRecordsInDuckDb() throws Exception {
        try (SluiceNode node = new SluiceNode(config(), java.util.Set.of(Component.BROKER, Component.SINK_WRITER,
                Component.SINK_COORDINATOR))) {
            node.start();
            node.sinks().create(new dev.sluice.sinks.SinkSpec("orders", java.util.List.of("orders"),
                    java.util.List.of(dev.sluice.mapping.ColumnSpec.path("id", "/id").withType("long")),
                    dev.sluice.sinks.TargetSpec.duckDb(null, "orders")).withConditions(new dev.sluice.sinks.Conditions(
                    null, new dev.sluice.sinks.Conditions.Limits(100L, null, 500L))));
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(java.util.Map.of(
                    "bootstrap.servers", node.bootstrapServers()), new org.apache.kafka.common.serialization
                    .StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
                for (int i = 0; i < 250; i++) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("orders", "{\"id\": " + i + "}"));
                }
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
                    node.sinks().status("orders").orElseThrow().rowsImported() == 250);
            assertThat(dir.resolve("sinks/warehouse.duckdb")).isRegularFile();
        }
    }

    @Test
    void partitionsCreatedThroughTheNodeAreThereAfterARestart() throws IOException {
        SluiceConfig config = config();
        try (SluiceNode node = new SluiceNode(config)) {
            node.start();
            node.logs().createTopic("orders", 2, config.logConfig());
        }

        try (SluiceNode node = new SluiceNode(config)) {
            node.start();

            assertThat(node.logs().partitions()).filteredOn(tp -> !isSluices(tp.topic()))
                    .containsExactlyInAnyOrder(new TopicPartition("orders", 0), new TopicPartition("orders", 1));
        }
    }

    /** Sluice's own topics: internal ones ({@code _sluice_*}) and the services' ({@code sluice.events}, ...). */
    private static boolean isSluices(String topic) {
        return topic.startsWith("_") || topic.startsWith("sluice.");
    }

    @Test
    void logsAreUnavailableBeforeStartAndAfterClose() throws IOException {
        SluiceNode node = new SluiceNode(config());
        assertThatThrownBy(node::logs).isInstanceOf(IllegalStateException.class);

        node.start();
        node.close();

        assertThatThrownBy(node::logs).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeIsIdempotentAndStartAfterCloseIsRefused() throws IOException {
        SluiceNode node = new SluiceNode(config());
        node.start();
        node.close();
        node.close();

        assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void startingTwiceIsRefused() throws IOException {
        try (SluiceNode node = new SluiceNode(config())) {
            node.start();

            assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already started");
        }
    }

    @Test
    void nodeWithoutTheBrokerHasNoLogEngine() throws IOException {
        try (SluiceNode node = new SluiceNode(config(), Set.of())) {
            node.start();

            assertThatThrownBy(node::logs).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("broker");
        }
    }

    @Test
    void failedStartLeavesNothingOpen() throws IOException {
        Files.writeString(dir.resolve("log"), "a file where the log directory should be");
        SluiceNode node = new SluiceNode(config());

        assertThatThrownBy(node::start).isInstanceOf(IOException.class);
        assertThatThrownBy(node::logs).isInstanceOf(IllegalStateException.class);
        node.close();
    }

    @Test
    void componentsAreNamedAsOnTheCommandLine() {
        assertThat(Component.SINK_COORDINATOR.cliName()).isEqualTo("sink-coordinator");
        assertThat(Component.available()).containsExactly(Component.BROKER, Component.HTTP, Component.CONTROL,
                Component.SINK_WRITER, Component.SINK_COORDINATOR, Component.SERVICES);
    }

    @Test
    void withAnAuthTokenTheKafkaListenerRequiresSaslWithAdminAndTheToken() throws Exception {
        SluiceConfig config = SluiceConfig.fromSettings(Map.of("data.dir", dir.toString(), "node.name", "test",
                "log.flush", "none", "kafka.listen", "127.0.0.1:0", "http.listen", "127.0.0.1:0", "auth.token",
                "s3cret"));
        try (SluiceNode node = new SluiceNode(config)) {
            node.start();
            Map<String, Object> sasl = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers(),
                    CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256",
                    "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                            + "username=\"admin\" password=\"s3cret\";");
            try (Admin admin = Admin.create(sasl)) {
                admin.createTopics(List.of(new NewTopic("secured", 1, (short) 1))).all().get();
                assertThat(admin.listTopics().names().get()).filteredOn(name -> !isSluices(name))
                        .containsExactly("secured");
            }
            Map<String, Object> open = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers(),
                    CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 500,
                    CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 1_500);
            try (Admin admin = Admin.create(open)) {
                assertThatThrownBy(() -> admin.listTopics().names().get())
                        .hasCauseInstanceOf(TimeoutException.class);
            }
        }
    }

    private SluiceConfig config() {
        return SluiceConfig.fromSettings(Map.of("data.dir", dir.toString(), "node.name", "test",
                "log.flush", "none", "kafka.listen", "127.0.0.1:0", "http.listen", "127.0.0.1:0"));
    }
}
