package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker lists its open connections with what each client said and did, driven by Apache's own clients. */
class ClientConnectionsTest {
    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get();
        }
    }

    @AfterEach
    void stop() {
        broker.close();
        logs.close();
    }

    @Test
    void producerAndGroupConsumerAreListedWithTheirSoftwareTopicsAndGroupUntilTheyClose() throws Exception {
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "orders-app"), new StringSerializer(), new StringSerializer());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "billing",
                ConsumerConfig.GROUP_ID_CONFIG, "billing-group",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer());
        try {
            Instant before = Instant.now().minusSeconds(1);
            producer.send(new ProducerRecord<>("orders", "k", "v")).get();
            consumer.subscribe(List.of("orders"));
            await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.poll(Duration.ofMillis(100)).isEmpty());
            consumer.commitSync();

            KafkaClientConnection producing = connection("orders-app", c -> c.producesTo().contains("orders"));
            assertThat(producing.softwareName()).isEqualTo("apache-kafka-java");
            assertThat(producing.softwareVersion()).isNotBlank();
            assertThat(producing.address()).startsWith("127.0.0.1:");
            assertThat(producing.connectedAt()).isAfter(before);
            assertThat(producing.lastRequestAt()).isAfterOrEqualTo(producing.connectedAt());
            assertThat(producing.requests()).isPositive();
            assertThat(producing.fetchesFrom()).isEmpty();
            assertThat(producing.principal()).isEqualTo("User:ANONYMOUS");

            KafkaClientConnection fetching = connection("billing", c -> c.fetchesFrom().contains("orders"));
            assertThat(fetching.producesTo()).isEmpty();
            assertThat(broker.connections()).filteredOn(c -> "billing".equals(c.clientId()))
                    .anySatisfy(c -> assertThat(c.groups()).containsExactly("billing-group"));
        } finally {
            producer.close();
            consumer.close();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(broker.connections())
                .noneMatch(c -> "orders-app".equals(c.clientId()) || "billing".equals(c.clientId())));
    }

    private KafkaClientConnection connection(String clientId,
                                             java.util.function.Predicate<KafkaClientConnection> doing) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> broker.connections().stream()
                .filter(c -> clientId.equals(c.clientId())).filter(doing).findFirst(), Optional::isPresent)
                .orElseThrow();
    }
}
