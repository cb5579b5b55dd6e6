package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Producing from the broker's own process: what Kafka clients then read, and the errors it answers with. */
class LocalProduceTest {
    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("events", 2, (short) 1))).all().get();
        }
    }

    @AfterEach
    void stop() {
        broker.close();
        logs.close();
    }

    @Test
    void recordsProducedLocallyAreReadByAKafkaConsumerWithTheirHeadersAndOffsets() throws Exception {
        long first = broker.produceLocally("local-test", "events", 1, records("a", "b")).get();
        long second = broker.produceLocally("local-test", "events", 1, records("c")).get();
        assertThat(first).isZero();
        assertThat(second).isEqualTo(2);

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("events", 1);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (read.size() < 3 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            assertThat(read).extracting(ConsumerRecord::value).containsExactly("a", "b", "c");
            assertThat(read).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L);
            assertThat(new String(read.getFirst().headers().lastHeader("origin").value(), StandardCharsets.UTF_8))
                    .isEqualTo("local");
        }
    }

    @Test
    void anUnknownTopicOrPartitionAndAClosedBrokerFailWithKafkaErrors() {
        assertThatThrownBy(() -> broker.produceLocally("local-test", "missing", 0, records("x")).join())
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> broker.produceLocally("local-test", "events", 7, records("x")).join())
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        broker.close();
        assertThatThrownBy(() -> broker.produceLocally("local-test", "events", 0, records("x")).join())
                .hasCauseInstanceOf(BrokerNotAvailableException.class);
    }

    private static MemoryRecords records(String... values) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), Compression.NONE,
                TimestampType.CREATE_TIME, 0L);
        Header[] headers = {new RecordHeader("origin", "local".getBytes(StandardCharsets.UTF_8))};
        for (String value : values) {
            builder.append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8), headers);
        }
        return builder.build();
    }
}
