package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.server.SluiceConfig;
import dev.sluice.server.SluiceNode;
import dev.sluice.services.RunRecord;
import dev.sluice.services.RunStatus;
import dev.sluice.services.SecretBox;
import dev.sluice.services.ServiceCatalog;
import dev.sluice.services.ServicePackage;
import dev.sluice.services.ServiceTopics;
import dev.sluice.services.ServicesEngine;
import dev.sluice.services.ServicesEngineConfig;
import dev.sluice.services.trigger.CloudEventCodec;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.EventData;
import dev.sluice.services.trigger.FilterSpec;
import dev.sluice.services.trigger.TriggerSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two services engines (as two processes would run them) against one broker share the event topic's partitions as
 * members of one consumer group: every event runs its service exactly once, and both engines run some.
 */
class ServicesScaleOutTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void twoEnginesShareTheEventsAndEachEventRunsOnce() throws Exception {
        SluiceConfig config = SluiceConfig.fromSettings(Map.of("data.dir", dir.resolve("broker").toString(),
                "node.name", "broker", "log.flush", "none", "kafka.listen", "127.0.0.1:0"));
        try (SluiceNode broker = new SluiceNode(config, Set.of(SluiceNode.Component.BROKER))) {
            broker.start();
            Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(kafka)) {
                admin.createTopics(List.of(new NewTopic(ServiceTopics.EVENTS, 4, (short) 1))).all().get();
            }
            Path out = dir.resolve("out");
            Files.createDirectories(out);
            Path service = Files.createDirectories(dir.resolve("service"));
            Files.writeString(service.resolve("service.yaml"), "name: worker\nruntime: bash\nsteps: [work.sh]\n"
                    + "maxConcurrency: 4\nenvironment: {OUT: \"" + out + "\"}\n");
            Files.writeString(service.resolve("work.sh"), "echo \"$SLUICE_RUN_ID\" > \"$OUT/$CE_ID\"\n");
            ServicePackage pkg = ServicePackage.fromDirectory(service);
            SecretBox box = SecretBox.open(null, dir.resolve("secrets.key"));

            try (ServicesEngine a = ServicesEngine.start(ServicesEngineConfig.of(kafka, dir.resolve("a"), "node-a",
                    box));
                 ServicesEngine b = ServicesEngine.start(ServicesEngineConfig.of(kafka, dir.resolve("b"), "node-b",
                         box));
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                         broker.bootstrapServers(), "max.request.size", ServiceTopics.MAX_RECORD_BYTES),
                         new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(ServiceTopics.CATALOG, 0,
                        ServiceCatalog.versionKey("worker", pkg.version()).getBytes(StandardCharsets.UTF_8),
                        new ServiceCatalog.DeployedVersion("worker", pkg.version(), Instant.now(), pkg).toBytes()))
                        .get();
                producer.send(new ProducerRecord<>(ServiceTopics.CATALOG, 0,
                        ServiceCatalog.triggerKey("work").getBytes(StandardCharsets.UTF_8),
                        ServiceCatalog.triggerBytes(TriggerSpec.of("work", "worker", TriggerSpec.LATEST,
                                FilterSpec.exact("type", "work.requested"))))).get();
                await().atMost(WAIT).until(() -> a.catalog().trigger("work").isPresent()
                        && b.catalog().trigger("work").isPresent());
                // Both routers are in the group and own partitions (the first to join takes all until the rebalance).
                try (Admin admin = Admin.create(kafka)) {
                    await().atMost(WAIT).until(() -> admin.describeConsumerGroups(List.of("sluice-services")).all()
                            .get().get("sluice-services").members().stream()
                            .filter(member -> !member.assignment().topicPartitions().isEmpty()).count() == 2);
                }

                CloudEventCodec codec = new CloudEventCodec();
                int events = 40;
                for (int i = 0; i < events; i++) {
                    Event event = Event.of("work-" + i, "work.requested", "/tests", EventData.none());
                    producer.send(codec.toBinaryRecord(ServiceTopics.EVENTS,
                            ("key-" + i).getBytes(StandardCharsets.UTF_8), event)).get();
                }

                Map<String, RunRecord> runs = await().atMost(WAIT).until(() -> runs(broker.bootstrapServers()),
                        all -> all.values().stream().filter(run -> run.run().status().isFinal()).count() == events);
                assertThat(runs.values()).allSatisfy(run -> assertThat(run.run().status())
                        .isEqualTo(RunStatus.SUCCEEDED));
                assertThat(runs.values().stream().map(run -> run.run().input().id()).collect(Collectors.toSet()))
                        .hasSize(events);
                assertThat(runs.values().stream().map(RunRecord::node).collect(Collectors.toSet()))
                        .containsExactlyInAnyOrder("node-a", "node-b");
                try (var files = Files.list(out)) {
                    assertThat(files.count()).isEqualTo(events);
                }
            }
        }
    }

    private static Map<String, RunRecord> runs(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "max.partition.fetch.bytes", 32 * 1024 * 1024), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(ServiceTopics.RUNS, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            Map<String, RunRecord> runs = new HashMap<>();
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            for (ConsumerRecord<byte[], byte[]> record : all) {
                runs.put(new String(record.key(), StandardCharsets.UTF_8), RunRecord.fromBytes(record.value()));
            }
            return runs;
        }
    }
}
