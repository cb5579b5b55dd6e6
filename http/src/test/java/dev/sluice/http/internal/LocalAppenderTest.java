package dev.sluice.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.BrokerConfig;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The requests an event loop handles in one turn share one batch, split again when together they are too large. */
class LocalAppenderTest {
    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;
    private Vertx vertx;

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("shared", 1, (short) 1),
                    new NewTopic("small", 1, (short) 1).configs(Map.of("max.message.bytes", "1500")))).all().get();
        }
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        broker.close();
        logs.close();
    }

    @Test
    void requestsOfOneTurnAreAppendedAsOneBatch() throws Exception {
        List<CompletableFuture<Void>> done = inOneTurn("shared", 3, 100);
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        List<RecordBatch> batches = batches("shared");
        assertThat(batches).hasSize(1);
        assertThat(batches.getFirst().lastOffset()).isEqualTo(2);
    }

    @Test
    void aTurnTooLargeForTheTopicTogetherIsAppendedRequestByRequest() throws Exception {
        List<CompletableFuture<Void>> done = inOneTurn("small", 2, 1000);
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(batches("small")).hasSize(2);
    }

    /** Appends {@code requests} requests of one record of {@code bytes} bytes from one event-loop task. */
    private List<CompletableFuture<Void>> inOneTurn(String topic, int requests, int bytes) throws Exception {
        LocalAppender appender = new LocalAppender(broker, "test");
        CompletableFuture<List<CompletableFuture<Void>>> started = new CompletableFuture<>();
        vertx.runOnContext(ignored -> {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                byte[] value = ("r" + i + "-" + "x".repeat(bytes)).getBytes(StandardCharsets.UTF_8);
                futures.add(appender.append(topic, 1, List.of(new ProducerRecord<>(topic, null, 1L, null, value))));
            }
            started.complete(futures);
        });
        return started.get(10, TimeUnit.SECONDS);
    }

    private List<RecordBatch> batches(String topic) throws Exception {
        var log = logs.partition(new TopicPartition(topic, 0)).orElseThrow();
        MemoryRecords records = MemoryRecords.readableRecords(log.read(0, 1 << 20).records().read());
        List<RecordBatch> batches = new ArrayList<>();
        records.batches().forEach(batches::add);
        return batches;
    }
}
