package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AdminClient operations on topics, configs, partitions, records, the cluster and log dirs. */
class AdminApisTest {
    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        startBroker();
    }

    private void startBroker() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
        logs.close();
    }

    private Config topicConfig(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    @Test
    void describeConfigsShowsOverridesAndDefaults() throws Exception {
        admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1)
                .configs(Map.of("retention.ms", "60000", "cleanup.policy", "compact")))).all().get();

        Config config = topicConfig("orders");
        assertThat(config.get("retention.ms").value()).isEqualTo("60000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(config.get("segment.bytes").value()).isEqualTo(Integer.toString(1 << 30));
        assertThat(config.get("segment.bytes").isDefault()).isTrue();
        assertThat(config.get("compression.type").value()).isEqualTo("producer");

        ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, "0");
        Config brokerConfig = admin.describeConfigs(List.of(brokerResource)).all().get().get(brokerResource);
        assertThat(brokerConfig.get("num.partitions").value()).isEqualTo("1");
    }

    @Test
    void incrementalAlterConfigsSetsDeletesAppendsAndSurvivesRestart() throws Exception {
        admin.createTopics(List.of(new NewTopic("events", 1, (short) 1))).all().get();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "events");
        Map<ConfigResource, Collection<AlterConfigOp>> ops = Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "120000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)));
        admin.incrementalAlterConfigs(ops).all().get();

        assertThat(topicConfig("events").get("retention.ms").value()).isEqualTo("120000");
        assertThat(topicConfig("events").get("cleanup.policy").value()).isEqualTo("delete,compact");

        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE)))).all().get();
        assertThat(topicConfig("events").get("retention.ms").isDefault()).isTrue();

        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry("segment.bytes", "tiny"), AlterConfigOp.OpType.SET)))).all().get())
                .hasCauseInstanceOf(InvalidConfigurationException.class).hasMessageContaining("segment.bytes");
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry("no.such.config", "1"), AlterConfigOp.OpType.SET)))).all().get())
                .hasCauseInstanceOf(InvalidConfigurationException.class).hasMessageContaining("no.such.config");

        stop();
        startBroker();
        assertThat(topicConfig("events").get("cleanup.policy").value()).isEqualTo("delete,compact");
    }

    @Test
    void createPartitionsGrowsATopicAndNewPartitionsTakeRecords() throws Exception {
        admin.createTopics(List.of(new NewTopic("growing", 2, (short) 1))).all().get();
        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all().get();

        assertThat(admin.describeTopics(List.of("growing")).allTopicNames().get().get("growing").partitions())
                .hasSize(5);
        assertThatThrownBy(() -> admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all().get())
                .hasCauseInstanceOf(InvalidPartitionsException.class);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            assertThat(producer.send(new ProducerRecord<>("growing", 4, "k", "v")).get().partition()).isEqualTo(4);
        }
    }

    @Test
    void deleteRecordsMovesTheLowWatermark() throws Exception {
        admin.createTopics(List.of(new NewTopic("trim", 1, (short) 1))).all().get();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("trim", "v" + i)).get();
            }
        }
        TopicPartition tp = new TopicPartition("trim", 0);
        var result = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4))).all().get();
        assertThat(result).isNull();
        assertThat(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(6))).lowWatermarks().get(tp).get()
                .lowWatermark()).isEqualTo(6);
        assertThat(admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest())).all().get()
                .get(tp).offset()).isEqualTo(6);
    }

    @Test
    void describeClusterAndLogDirsReportThisNode() throws Exception {
        admin.createTopics(List.of(new NewTopic("sized", 1, (short) 1))).all().get();
        DescribeClusterResult cluster = admin.describeCluster();
        assertThat(cluster.clusterId().get()).isEqualTo("sluice-cluster");
        assertThat(cluster.nodes().get()).hasSize(1);
        assertThat(cluster.controller().get().id()).isZero();

        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(0)).allDescriptions().get().get(0);
        assertThat(dirs).hasSize(1);
        LogDirDescription description = dirs.values().iterator().next();
        assertThat(description.replicaInfos()).containsKey(new TopicPartition("sized", 0));
        assertThat(description.totalBytes()).isPresent();
    }

    @Test
    void badTopicRequestsGetPreciseErrors() {
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("three-copies", 1, (short) 3))).all().get())
                .hasCauseInstanceOf(InvalidReplicationFactorException.class);
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("bad name!", 1, (short) 1))).all().get())
                .hasCauseInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("zero", 0, (short) 1))).all().get())
                .hasCauseInstanceOf(InvalidPartitionsException.class);
    }

    @Test
    void deletingATopicForgetsTheGroupsCommittedOffsetsOfIt() throws Exception {
        admin.createTopics(List.of(new NewTopic("short-lived", 1, (short) 1))).all().get();
        TopicPartition tp = new TopicPartition("short-lived", 0);
        admin.alterConsumerGroupOffsets("readers",
                Map.of(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(0))).all().get();
        assertThat(admin.listConsumerGroupOffsets("readers").partitionsToOffsetAndMetadata().get()).containsKey(tp);

        admin.deleteTopics(List.of("short-lived")).all().get();
        admin.createTopics(List.of(new NewTopic("short-lived", 1, (short) 1))).all().get();

        assertThat(admin.listConsumerGroupOffsets("readers").partitionsToOffsetAndMetadata().get())
                .doesNotContainKey(tp);
        stop();
        startBroker();
        assertThat(admin.listConsumerGroupOffsets("readers").partitionsToOffsetAndMetadata().get())
                .doesNotContainKey(tp);
    }
}
