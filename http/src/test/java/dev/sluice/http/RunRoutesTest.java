package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.services.CapturedOutput;
import dev.sluice.services.Run;
import dev.sluice.services.RunAttempt;
import dev.sluice.services.RunRecord;
import dev.sluice.services.RunStatus;
import dev.sluice.services.ServiceEvent;
import dev.sluice.services.ServiceTopics;
import dev.sluice.services.StepResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/runs} against runs written to {@code _sluice_runs} with a plain producer, as a services engine writes
 * them: lists from the summaries in memory, whole runs and their logs read back from the topic.
 */
class RunRoutesTest {
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private HttpFixture sluice;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeEach
    void start() throws IOException {
        sluice = new HttpFixture(dir);
        Map<String, Object> config = new HashMap<>(sluice.kafkaConfig());
        config.put("max.request.size", ServiceTopics.MAX_RECORD_BYTES);
        producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        producer.close();
        sluice.close();
    }

    void write(RunRecord record) throws Exception {
        producer.send(new ProducerRecord<>(ServiceTopics.RUNS, record.run().id().getBytes(StandardCharsets.UTF_8),
                record.toBytes())).get();
    }

    static ServiceEvent input(String id) {
        return new ServiceEvent(id, "shop.order.created", "/shop", "order-1", T0.atOffset(ZoneOffset.UTC),
                "application/json", Map.of(), JsonNodeFactory.instance.objectNode().put("amount", 5));
    }

    static StepResult step(String script, RunStatus status, int exit, String stdout, String stderr, String error) {
        return new StepResult(script, status, exit, Duration.ofMillis(250),
                new CapturedOutput(stdout, stdout.length(), false), new CapturedOutput(stderr, stderr.length(), false),
                error);
    }

    static Run run(String id, String service, RunStatus status, Instant queued, List<RunAttempt> attempts,
                   String error) {
        return new Run(id, service, "v1", "event-" + id, status, queued, queued.plusSeconds(1),
                status.isFinal() ? queued.plusSeconds(3) : null, attempts, input("event-" + id), List.of(), error);
    }

    @Test
    void runsAreListedNewestFirstFilteredAndReadBackWhole() throws Exception {
        Run queued = run("r1", "hello", RunStatus.QUEUED, T0, List.of(), null);
        write(new RunRecord(queued, RunRecord.MANUAL, "node-a"));
        RunAttempt ok = new RunAttempt(1, RunStatus.SUCCEEDED, T0.plusSeconds(1), T0.plusSeconds(2),
                List.of(step("hello.sh", RunStatus.SUCCEEDED, 0, "hello\n", "", null)), List.of(), null);
        write(new RunRecord(run("r1", "hello", RunStatus.SUCCEEDED, T0, List.of(ok), null), RunRecord.MANUAL,
                "node-a"));
        RunAttempt failed = new RunAttempt(1, RunStatus.FAILED, T0.plusSeconds(11), T0.plusSeconds(12),
                List.of(step("hello.sh", RunStatus.FAILED, 1, "starting", "boom\n", null)), List.of(), "exit 1");
        RunAttempt timedOut = new RunAttempt(2, RunStatus.TIMED_OUT, T0.plusSeconds(13), T0.plusSeconds(14),
                List.of(step("hello.sh", RunStatus.TIMED_OUT, 137, "", "", "timed out after 1s")), List.of(),
                "timed out");
        write(new RunRecord(run("r2", "hello", RunStatus.TIMED_OUT, T0.plusSeconds(10), List.of(failed, timedOut),
                "timed out"), "orders.large", "node-a"));
        // A run with megabytes of output: one record, read back whole.
        String big = "x".repeat(3 * 1024 * 1024);
        RunAttempt loud = new RunAttempt(1, RunStatus.RUNNING, T0.plusSeconds(21), null,
                List.of(step("loud.sh", RunStatus.SUCCEEDED, 0, big, "", null)), List.of(), null);
        write(new RunRecord(run("r3", "other", RunStatus.RUNNING, T0.plusSeconds(20), List.of(loud), null),
                "@schedule", "node-b"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ids("/v1/runs"))
                .containsExactly("r3", "r2", "r1"));
        JsonNode r1 = sluice.get("/v1/runs?service=hello&status=succeeded").json().path("runs");
        assertThat(r1).hasSize(1);
        assertThat(r1.get(0).path("id").asText()).isEqualTo("r1");
        assertThat(r1.get(0).path("trigger").asText()).isEqualTo("@manual");
        assertThat(r1.get(0).path("attempts").asInt()).isEqualTo(1);
        assertThat(r1.get(0).path("queued").asText()).isEqualTo(T0.toString());
        assertThat(r1.get(0).path("correlationId").asText()).isEqualTo("event-r1");
        assertThat(r1.get(0).path("node").asText()).isEqualTo("node-a");
        assertThat(ids("/v1/runs?service=hello")).containsExactly("r2", "r1");
        assertThat(ids("/v1/runs?trigger=orders.large")).containsExactly("r2");
        assertThat(ids("/v1/runs?status=running")).containsExactly("r3");
        assertThat(ids("/v1/runs?limit=2")).containsExactly("r3", "r2");

        HttpFixture.Reply badStatus = sluice.get("/v1/runs?status=done");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.json().path("error").path("message").asText()).contains("timed_out", "succeeded");
        assertThat(sluice.get("/v1/runs?limit=0").status()).isEqualTo(400);
        assertThat(sluice.get("/v1/runs?limit=1001").status()).isEqualTo(400);

        JsonNode r2 = sluice.get("/v1/runs/r2").json();
        assertThat(r2.path("trigger").asText()).isEqualTo("orders.large");
        assertThat(r2.path("node").asText()).isEqualTo("node-a");
        assertThat(r2.path("run").path("status").asText()).isEqualTo("timed_out");
        assertThat(r2.path("run").path("attempts")).hasSize(2);
        assertThat(r2.path("run").path("attempts").get(0).path("steps").get(0).path("stderr").path("text").asText())
                .isEqualTo("boom\n");
        assertThat(r2.path("run").path("input").path("type").asText()).isEqualTo("shop.order.created");
        assertThat(r2.path("run").path("input").path("data").path("amount").asInt()).isEqualTo(5);

        HttpFixture.Reply logs = sluice.get("/v1/runs/r2/logs");
        assertThat(logs.response().headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain"));
        assertThat(logs.text()).isEqualTo("""
                == attempt 1, step 0 (hello.sh): failed, exit 1 ==
                -- stdout --
                starting
                -- stderr --
                boom
                == attempt 2, step 0 (hello.sh): timed_out, exit 137: timed out after 1s ==
                -- stdout --
                -- stderr --
                """);
        assertThat(sluice.get("/v1/runs/r3").json().path("run").path("attempts").get(0).path("steps").get(0)
                .path("stdout").path("text").asText()).hasSize(big.length());

        HttpFixture.Reply unknown = sluice.get("/v1/runs/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("run_not_found");
        assertThat(sluice.get("/v1/runs/nope/logs").status()).isEqualTo(404);
    }

    @Test
    void aQueuedRunHasNoLogsYetAndADeletedRunIsGone() throws Exception {
        write(new RunRecord(run("q", "hello", RunStatus.QUEUED, T0, List.of(), null), RunRecord.MANUAL, "node-a"));
        await().atMost(Duration.ofSeconds(20)).until(() -> sluice.get("/v1/runs/q").status() == 200);

        assertThat(sluice.get("/v1/runs/q/logs").text()).isEqualTo("== run q: queued, no attempts yet ==\n");

        producer.send(new ProducerRecord<>(ServiceTopics.RUNS, "q".getBytes(StandardCharsets.UTF_8), null)).get();
        await().atMost(Duration.ofSeconds(20)).until(() -> sluice.get("/v1/runs/q").status() == 404);
        assertThat(ids("/v1/runs")).isEmpty();
    }

    private List<String> ids(String path) {
        return sluice.get(path).json().path("runs").findValuesAsText("id");
    }
}
