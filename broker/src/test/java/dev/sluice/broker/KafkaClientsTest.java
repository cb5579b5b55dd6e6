package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Apache's own kafka-clients against the broker: admin, producer with every codec, consumer, restarts. */
class KafkaClientsTest {
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
        if (broker != null) {
            broker.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private void restart() throws Exception {
        broker.close();
        logs.close();
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private KafkaProducer<String, String> producer(String compression) {
        return producer(compression, false);
    }

    private KafkaProducer<String, String> producer(String compression, boolean idempotent) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotent));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private List<ConsumerRecord<String, String>> consume(TopicPartition tp, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Test
    void adminCreatesDescribesListsAndDeletesTopics() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)
                    .configs(Map.of("retention.ms", "3600000", "cleanup.policy", "delete")))).all().get();

            assertThat(admin.listTopics().names().get()).containsExactly("orders");
            TopicDescription description = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
            assertThat(description.partitions()).hasSize(3);
            assertThat(description.topicId()).isNotNull();

            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get())
                    .hasCauseInstanceOf(TopicExistsException.class);
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("bad", 1, (short) 1)
                    .configs(Map.of("retention.ms", "soon")))).all().get())
                    .hasMessageContaining("retention.ms");

            admin.deleteTopics(List.of("orders")).all().get();
            assertThat(admin.listTopics().names().get()).isEmpty();
            assertThatThrownBy(() -> admin.deleteTopics(List.of("orders")).all().get())
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void producedRecordsAreConsumedInOrderWithEveryCodec(String compression) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("events", 1, (short) 1))).all().get();
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(compression)) {
            for (int i = 0; i < 1000; i++) {
                sends.add(producer.send(new ProducerRecord<>("events", "key-" + i, "value-" + i)));
            }
            producer.flush();
        }
        for (int i = 0; i < sends.size(); i++) {
            assertThat(sends.get(i).get().offset()).isEqualTo(i);
        }

        List<ConsumerRecord<String, String>> records = consume(new TopicPartition("events", 0), 1000);
        assertThat(records).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(records.get(i).offset()).isEqualTo(i);
            assertThat(records.get(i).key()).isEqualTo("key-" + i);
            assertThat(records.get(i).value()).isEqualTo("value-" + i);
        }
    }

    @Test
    void topicsAndRecordsSurviveARestart() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("durable", 2, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = producer("lz4")) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("durable", i % 2, "k", "v" + i)).get();
            }
        }
        restart();

        try (Admin admin = admin()) {
            assertThat(admin.describeTopics(List.of("durable")).allTopicNames().get().get("durable").partitions())
                    .hasSize(2);
            var latest = admin.listOffsets(Map.of(new TopicPartition("durable", 1), OffsetSpec.latest())).all().get();
            assertThat(latest.get(new TopicPartition("durable", 1)).offset()).isEqualTo(50);
        }
        assertThat(consume(new TopicPartition("durable", 0), 50)).hasSize(50);
    }

    @Test
    void producingToAnUnknownTopicAutoCreatesItThroughMetadata() throws Exception {
        try (KafkaProducer<String, String> producer = producer("none")) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>("auto", "v")).get();
            assertThat(metadata.offset()).isZero();
        }
        assertThat(consume(new TopicPartition("auto", 0), 1)).extracting(ConsumerRecord::value).containsExactly("v");
    }

    @Test
    void listOffsetsFindsEarliestLatestAndByTimestamp() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("timed", 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = producer("none")) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("timed", 0, 1_000_000L + i * 1000, "k", "v" + i)).get();
            }
        }
        TopicPartition tp = new TopicPartition("timed", 0);
        try (Admin admin = admin()) {
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset()).isZero();
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset()).isEqualTo(10);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(1_004_500L))).all().get().get(tp)
                    .offset()).isEqualTo(5);
        }
    }

    @Test
    void aConsumerWaitingAtTheEndGetsNewRecordsAsTheyArrive() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("live", 1, (short) 1))).all().get();
        }
        TopicPartition tp = new TopicPartition("live", 0);
        try (KafkaConsumer<String, String> consumer = consumer();
             KafkaProducer<String, String> producer = producer("none")) {
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();
            producer.send(new ProducerRecord<>("live", "hello")).get();
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(got::add);
            }
            assertThat(got).extracting(ConsumerRecord::value).containsExactly("hello");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "zstd"})
    void anIdempotentProducerWithDefaultSettingsWritesEveryRecordOnce(String compression) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 2000; i++) {
                sends.add(producer.send(new ProducerRecord<>("idempotent", "k" + (i % 7), "v" + i)));
            }
            producer.flush();
        }
        for (int i = 0; i < sends.size(); i++) {
            assertThat(sends.get(i).get().offset()).isEqualTo(i);
        }
        assertThat(consume(new TopicPartition("idempotent", 0), 2000)).hasSize(2000);
    }
}
