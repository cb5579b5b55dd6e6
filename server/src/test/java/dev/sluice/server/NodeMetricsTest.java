package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.mapping.ColumnSpec;
import dev.sluice.sinks.Conditions;
import dev.sluice.sinks.SinkSpec;
import dev.sluice.sinks.TargetSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's {@code /metrics}: the broker's, the log engine's, the HTTP component's, the sinks' and the JVM's meters,
 * tagged.
 */
class NodeMetricsTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    @Test
    void theHttpListenerServesTheBrokersMetersAfterAProduce() throws Exception {
        SluiceConfig config = SluiceConfig.fromSettings(Map.of("data.dir", dir.toString(), "node.name", "node-7",
                "kafka.listen", "127.0.0.1:0", "http.listen", "127.0.0.1:0"));
        try (SluiceNode node = new SluiceNode(config)) {
            node.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    node.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("clicks", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("clicks", "k", "v")).get();
            }

            HttpResponse<String> scraped = get(node.httpUrl() + "/metrics");
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(scraped.body())
                    .contains("sluice_topic_records_in_total{node=\"node-7\",topic=\"clicks\"} 1.0")
                    .contains("sluice_topic_bytes_in_total{node=\"node-7\",topic=\"clicks\"}")
                    .contains("sluice_kafka_request_latency_seconds_bucket{api=\"produce\",node=\"node-7\",le=")
                    .contains("sluice_kafka_request_latency_seconds_count{api=\"create_topics\",node=\"node-7\"}")
                    .contains("sluice_kafka_connections{node=\"node-7\"}")
                    .contains("sluice_fsync_latency_seconds_bucket{node=\"node-7\",le=");
            // The JVM's and the process's meters are bound on their own thread while the node starts.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(node.httpUrl() + "/metrics")
                    .body())
                    .contains("jvm_memory_used_bytes{")
                    .contains("jvm_gc_")
                    .contains("process_uptime_seconds{node=\"node-7\"}")
                    .contains("system_cpu_count{node=\"node-7\"}"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(node.httpUrl() + "/metrics")
                    .body()).contains("sluice_http_requests_seconds_count{method=\"GET\",node=\"node-7\","
                    + "route=\"/metrics\",status=\"200\"}"));
        }
    }

    @Test
    void aSinksMetersCountWhatItLandedAndGoWhenItIsDeleted() throws Exception {
        SluiceConfig config = SluiceConfig.fromSettings(Map.of("data.dir", dir.toString(), "node.name", "node-7",
                "kafka.listen", "127.0.0.1:0", "http.listen", "127.0.0.1:0"));
        try (SluiceNode node = new SluiceNode(config)) {
            node.start();
            node.sinks().create(new SinkSpec("orders", List.of("orders"),
                    List.of(ColumnSpec.path("id", "/id").withType("long")), TargetSpec.duckDb(null, "orders"))
                    .withConditions(new Conditions(null, new Conditions.Limits(100L, null, 500L))));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 250; i++) {
                    producer.send(new ProducerRecord<>("orders", "{\"id\": " + i + "}"));
                }
                // Not a long: dead-lettered.
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("orders", "{\"id\": \"x" + i + "\"}"));
                }
            }
            String sink = "{node=\"node-7\",sink=\"orders\"}";
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(node.httpUrl() + "/metrics")
                    .body())
                    .contains("sluice_sink_records_written_total" + sink + " 250.0")
                    .contains("sluice_sink_rows_imported_total" + sink + " 250.0")
                    .contains("sluice_sink_dead_lettered_total" + sink + " 5.0")
                    .contains("sluice_sink_import_failures_total" + sink + " 0.0")
                    .contains("sluice_sink_lag" + sink + " 0.0")
                    .contains("sluice_sink_slices_local_bytes" + sink + " 0.0")
                    .containsPattern("sluice_sink_import_seconds_count\\{node=\"node-7\",sink=\"orders\"} [1-9]")
                    .contains("sluice_sink_import_seconds_sum" + sink));

            node.sinks().delete("orders");
            assertThat(get(node.httpUrl() + "/metrics").body()).doesNotContain("sink=\"orders\"");
        }
    }

    @Test
    void aNodeWhoseStartFailedStartsAgainWithFreshMeters() throws Exception {
        int port;
        SluiceNode node;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
            node = new SluiceNode(SluiceConfig.fromSettings(Map.of("data.dir", dir.toString(), "node.name", "again",
                    "kafka.listen", "127.0.0.1:0", "http.listen", "127.0.0.1:" + port)));
            assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class);
        }
        try (node) {
            node.start();
            HttpResponse<String> scraped = get(node.httpUrl() + "/metrics");
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.body()).contains("sluice_kafka_connections{node=\"again\"}");
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
