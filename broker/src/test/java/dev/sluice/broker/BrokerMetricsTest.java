package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's meters, driven by Apache's own clients: traffic, latency, fsyncs, connections and consumer lag. */
class BrokerMetricsTest {
    private static final String TOPIC = "orders";
    private static final int RECORDS = 200;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LogManager logs;
    private KafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults(), new FsyncMetrics(registry));
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs,
                registry);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void producedAndFetchedBytesAndRecordsCountPerTopic() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 2, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
        long storedBytes = 0;
        for (int p = 0; p < 2; p++) {
            storedBytes += logs.partition(new TopicPartition(TOPIC, p)).orElseThrow()
                    .read(0, Integer.MAX_VALUE).records().size();
        }

        assertThat(counter("sluice.topic.records.in")).isEqualTo(RECORDS);
        assertThat(counter("sluice.topic.bytes.in")).isEqualTo(storedBytes);
        assertThat(timer("produce").count()).isPositive();
        assertThat(registry.get("sluice.fsync.latency").timer().count()).isPositive();

        int consumed = 0;
        try (KafkaConsumer<String, String> consumer = consumer("readers")) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumed < RECORDS && System.nanoTime() < deadline) {
                consumed += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        assertThat(consumed).isEqualTo(RECORDS);
        assertThat(counter("sluice.topic.records.out")).isEqualTo(RECORDS);
        assertThat(counter("sluice.topic.bytes.out")).isEqualTo(storedBytes);
        assertThat(timer("fetch").count()).isPositive();
        assertThat(timer("metadata").count()).isPositive();

        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(TOPIC)).all().get();
        }
        assertThat(registry.find("sluice.topic.bytes.in").tag("topic", TOPIC).counter())
                .as("a deleted topic's meters go").isNull();
    }

    @Test
    void theConnectionsGaugeFollowsClientsComingAndGoing() throws Exception {
        Gauge connections = registry.get("sluice.kafka.connections").gauge();
        assertThat(connections.value()).isZero();
        try (Admin admin = admin()) {
            admin.listTopics().names().get();
            assertThat(connections.value()).isPositive();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> connections.value() == 0);
    }

    @Test
    void groupLagIsTheHighWatermarkMinusTheCommittedOffset() throws Exception {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, "v" + i));
            }
            producer.flush();
        }
        try (KafkaConsumer<String, String> consumer = consumer("lagging")) {
            consumer.assign(List.of(tp));
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(3)));
            assertThat(lag("lagging", tp)).isEqualTo(7);

            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(10)));
            assertThat(lag("lagging", tp)).isZero();
        }
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(TOPIC, 0, null, "one more")).get();
        }
        assertThat(lag("lagging", tp)).as("lag grows with the log").isEqualTo(1);

        try (Admin admin = admin()) {
            admin.deleteConsumerGroups(List.of("lagging")).all().get();
        }
        assertThat(registry.find("sluice.group.lag").tag("group", "lagging").gauge())
                .as("a deleted group's gauges go").isNull();
    }

    @Test
    void closingTheBrokerRemovesItsMeters() throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(TOPIC, "auto-created")).get();
        }
        assertThat(registry.find("sluice.topic.bytes.in").counters()).isNotEmpty();
        broker.close();
        broker = null;
        assertThat(registry.find("sluice.topic.bytes.in").counters()).isEmpty();
        assertThat(registry.find("sluice.kafka.request.latency").timers()).isEmpty();
        assertThat(registry.find("sluice.kafka.connections").gauges()).isEmpty();
    }

    private double counter(String name) {
        Counter counter = registry.find(name).tag("topic", TOPIC).counter();
        assertThat(counter).as(name).isNotNull();
        return counter.count();
    }

    private Timer timer(String api) {
        return registry.get("sluice.kafka.request.latency").tag("api", api).timer();
    }

    private double lag(String group, TopicPartition tp) {
        return registry.get("sluice.group.lag").tag("group", group).tag("topic", tp.topic())
                .tag("partition", Integer.toString(tp.partition())).gauge().value();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
