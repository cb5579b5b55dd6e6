package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/connections} lists the Kafka connections of the node's broker, and says when there is none. */
class ConnectionRoutesTest {
    @TempDir
    Path dir;

    @Test
    void aProducingKafkaClientIsListedWithItsClientIdLibraryAndTopic() throws Exception {
        try (HttpFixture sluice = new HttpFixture(dir)) {
            assertThat(sluice.post("/v1/topics", "{\"name\": \"orders\", \"partitions\": 1}").status())
                    .isEqualTo(201);
            Map<String, Object> config = new HashMap<>(sluice.kafkaConfig());
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "checkout");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("orders", "k", "v")).get();
                JsonNode checkout = await().atMost(Duration.ofSeconds(10)).until(() -> connections(sluice).stream()
                        .filter(c -> c.path("clientId").asText().equals("checkout"))
                        .filter(c -> c.path("producesTo").toString().contains("orders"))
                        .findFirst().orElse(null), java.util.Objects::nonNull);
                assertThat(checkout.path("softwareName").asText()).isEqualTo("apache-kafka-java");
                assertThat(checkout.path("address").asText()).startsWith("127.0.0.1:");
                assertThat(checkout.path("producesTo").get(0).asText()).isEqualTo("orders");
                assertThat(checkout.path("fetchesFrom").isEmpty()).isTrue();
                assertThat(checkout.path("requests").asLong()).isPositive();
                assertThat(checkout.path("connectedAt").asText()).isNotBlank();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> connections(sluice).stream()
                    .noneMatch(c -> c.path("clientId").asText().equals("checkout")));
        }
    }

    @Test
    void aNodeWithoutABrokerAnswers503WithAReason() throws Exception {
        try (HttpFixture sluice = new HttpFixture(dir, null, config -> config.withLocalBroker(null))) {
            HttpFixture.Reply reply = sluice.get("/v1/connections");
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.errorCode()).isEqualTo("no_broker");
        }
    }

    private static List<JsonNode> connections(HttpFixture sluice) {
        HttpFixture.Reply reply = sluice.get("/v1/connections");
        assertThat(reply.status()).isEqualTo(200);
        return StreamSupport.stream(reply.json().path("connections").spliterator(), false).toList();
    }
}
