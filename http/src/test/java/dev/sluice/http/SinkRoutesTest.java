package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sinks.SinkEngine;
import dev.sluice.sinks.SinkEngineConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code /v1/sinks} against a real broker, a real HTTP component and a real sink engine landing rows in DuckDB. The
 * HTTP component never calls the engine: definitions and statuses travel through the broker's compacted topics.
 */
class SinkRoutesTest {
    static final int N = 2_000;
    static final String SPEC = """
            {"name": "orders", "topics": ["orders"],
             "mapping": [{"name": "id", "path": "/id", "type": "long"},
                         {"name": "customer", "path": "/customer"},
                         {"name": "at", "value": "timestamp", "type": "timestamp"}],
             "target": {"type": "duckdb", "table": "orders"},
             "conditions": {"slice": {"records": 300, "ageMs": 300}, "file": {"records": 1000, "ageMs": 700}}}
            """;

    @TempDir
    Path dir;

    private HttpFixture sluice;
    private SinkEngine engine;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeEach
    void start() throws Exception {
        sluice = new HttpFixture(dir.resolve("broker"));
        Map<String, Object> config = new java.util.HashMap<>(sluice.kafkaConfig());
        config.put("acks", "all");
        config.put("linger.ms", 5);
        producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        assertThat(sluice.post("/v1/topics", "{\"name\": \"orders\", \"partitions\": 2}").status()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        producer.close();
        if (engine != null) {
            engine.close();
        }
        sluice.close();
    }

    private void startEngine() {
        engine = SinkEngine.start(SinkEngineConfig.of(sluice.kafkaConfig(), dir.resolve("node")));
    }

    private void produce(int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>("orders", ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("{\"id\": " + i + ", \"customer\": \"c" + (i % 17) + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    private JsonNode status() {
        return sluice.get("/v1/sinks/orders").json().path("status");
    }

    @Test
    void aSinkCreatedOverRestImportsPausesResumesAndIsDeleted() {
        HttpFixture.Reply created = sluice.post("/v1/sinks", SPEC);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("name").asText()).isEqualTo("orders");
        assertThat(created.json().path("mapping").get(0).path("type").asText()).isEqualTo("long");
        assertThat(created.json().path("paused").asBoolean()).isFalse();
        // No engine runs yet, so none has reported.
        assertThat(created.json().get("status").isNull()).isTrue();
        assertThat(sluice.get("/v1/sinks/orders").json().get("status").isNull()).isTrue();

        HttpFixture.Reply duplicate = sluice.post("/v1/sinks", SPEC);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.errorCode()).isEqualTo("sink_exists");

        startEngine();
        produce(0, N);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode status = status();
            assertThat(status.path("rowsImported").asLong()).isEqualTo(N);
            assertThat(status.path("lag").asLong()).isZero();
            assertThat(status.path("state").asText()).isEqualTo("running");
            assertThat(status.path("files")).isNotEmpty()
                    .allSatisfy(file -> assertThat(file.path("state").asText()).isEqualTo("imported"));
        });
        JsonNode status = status();
        assertThat(status.path("slices")).isNotEmpty();
        assertThat(status.path("files").get(0).path("rows").asLong()).isPositive();
        assertThat(status.path("files").get(0).path("bytes").asLong()).isPositive();
        assertThat(status.path("deadLettered").asLong()).isZero();
        assertThat(status.get("lastError").isNull()).isTrue();

        JsonNode listed = sluice.get("/v1/sinks").json().path("sinks");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("status").path("rowsImported").asLong()).isEqualTo(N);
        assertThat(listed.get(0).path("status").has("files")).isFalse();

        HttpFixture.Reply paused = sluice.post("/v1/sinks/orders/pause", "");
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().path("paused").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> status().path("state").asText().equals("paused"));
        produce(N, N + 500);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> status().path("rowsImported").asLong() == N);

        assertThat(sluice.post("/v1/sinks/orders/resume", "").json().path("paused").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(60)).until(() -> status().path("rowsImported").asLong() == N + 500
                && status().path("lag").asLong() == 0);

        HttpFixture.Reply changed = sluice.patch("/v1/sinks/orders",
                "{\"conditions\": {\"slice\": {\"records\": 100, \"ageMs\": 300}, \"file\": {\"ageMs\": 700}},"
                + " \"compression\": \"zstd\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("compression").asText()).isEqualTo("zstd");
        assertThat(changed.json().path("conditions").path("slice").path("records").asLong()).isEqualTo(100);
        assertThat(changed.json().path("topics").get(0).asText()).isEqualTo("orders");
        produce(N + 500, N + 600);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode now = status();
            assertThat(now.path("rowsImported").asLong()).as(now::toString).isEqualTo(N + 600);
        });

        assertThat(sluice.delete("/v1/sinks/orders").status()).isEqualTo(204);
        assertThat(sluice.get("/v1/sinks/orders").status()).isEqualTo(404);
        assertThat(sluice.get("/v1/sinks/orders").errorCode()).isEqualTo("sink_not_found");
        assertThat(sluice.delete("/v1/sinks/orders").status()).isEqualTo(404);
        assertThat(sluice.post("/v1/sinks/orders/pause", "").status()).isEqualTo(404);
        assertThat(sluice.get("/v1/sinks").json().path("sinks")).isEmpty();
    }

    @Test
    void badSpecsAreRefusedNamingTheField() {
        assertBad("{\"name\": \"s\", \"mapping\": [{\"name\": \"id\", \"path\": \"/id\"}],"
                + " \"target\": {\"type\": \"duckdb\", \"table\": \"t\"}}", "topics");
        assertBad("{\"name\": \"s\", \"topics\": [\"orders\"], \"mapping\": [{\"name\": \"id\", \"path\": \"/id\"}],"
                + " \"target\": {\"type\": \"oracle\", \"table\": \"t\"}}", "target.type");
        assertBad("{\"name\": \"s\", \"topics\": [\"orders\"], \"mapping\": [{\"name\": \"id\", \"path\": \"/id\"}],"
                + " \"target\": {\"type\": \"duckdb\"}}", "target.table");
        assertBad("{\"name\": \"s\", \"topics\": [\"orders\"], \"mapping\": [{\"name\": \"id\", \"path\": \"/id\","
                + " \"type\": \"decimal\"}], \"target\": {\"type\": \"duckdb\", \"table\": \"t\"}}", "mapping");
        assertBad("{\"name\": \"Bad Name\", \"topics\": [\"orders\"], \"mapping\": [{\"name\": \"id\", \"path\":"
                + " \"/id\"}], \"target\": {\"type\": \"duckdb\", \"table\": \"t\"}}", "name");
        assertBad("{\"name\": \"s\", \"topics\": [\"orders\"], \"mapping\": [{\"name\": \"id\", \"path\": \"/id\"}],"
                + " \"target\": {\"type\": \"duckdb\", \"table\": \"t\"}, \"conditions\": {\"file\": {\"records\":"
                + " 0}}}", "conditions.file.records");
        assertBad("{\"name\": \"s\", \"topics\": [\"orders\"], \"mapping\": [{\"name\": \"id\", \"path\": \"/id\"}],"
                + " \"target\": {\"type\": \"duckdb\", \"table\": \"t\"}, \"tabel\": \"x\"}", "tabel");
        assertThat(sluice.get("/v1/sinks").json().path("sinks")).isEmpty();

        assertThat(sluice.post("/v1/sinks", SPEC).status()).isEqualTo(201);
        HttpFixture.Reply badChange = sluice.patch("/v1/sinks/orders", "{\"target\": {\"type\": \"postgres\","
                + " \"table\": \"t\"}}");
        assertThat(badChange.status()).isEqualTo(400);
        assertThat(badChange.json().path("error").path("message").asText()).contains("target.url");
        HttpFixture.Reply rename = sluice.patch("/v1/sinks/orders", "{\"name\": \"other\"}");
        assertThat(rename.status()).isEqualTo(400);
        assertThat(rename.json().path("error").path("message").asText()).contains("name");
        assertThat(sluice.get("/v1/sinks/orders").json().path("target").path("type").asText()).isEqualTo("duckdb");
        assertThat(sluice.patch("/v1/sinks/nope", "{\"paused\": true}").status()).isEqualTo(404);
    }

    @Test
    void aPostgresPasswordIsNeverShownAndAPatchSendingTheMaskBackKeepsIt() {
        String secret = "s3cr3t-Pw";
        String urlSecret = "url-S3cret";
        // Paused, so the engine keeps the definition without connecting to a database that is not there.
        String created = sluice.post("/v1/sinks", """
                {"name": "pg", "topics": ["orders"], "paused": true,
                 "mapping": [{"name": "id", "path": "/id", "type": "long"}],
                 "target": {"type": "postgres", "table": "orders", "user": "loader", "password": "%s",
                            "url": "jdbc:postgresql://127.0.0.1:1/db?ssl=false&PassWord=%s&sslpassword=%s"}}
                """.formatted(secret, urlSecret, urlSecret)).text();
        String read = sluice.get("/v1/sinks/pg").text();
        String listed = sluice.get("/v1/sinks").text();
        for (String body : List.of(created, read, listed)) {
            assertThat(body).contains("\"pg\"").doesNotContain(secret).doesNotContain(urlSecret);
        }
        JsonNode target = sluice.get("/v1/sinks/pg").json().path("target");
        assertThat(target.path("password").asText()).isEqualTo("******");
        assertThat(target.path("url").asText())
                .isEqualTo("jdbc:postgresql://127.0.0.1:1/db?ssl=false&PassWord=******&sslpassword=******");

        // A client that read the sink sends its whole target back with one change.
        ((com.fasterxml.jackson.databind.node.ObjectNode) target).put("table", "orders_v2");
        HttpFixture.Reply changed = sluice.patch("/v1/sinks/pg", "{\"target\": " + target + "}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.text()).doesNotContain(secret).doesNotContain(urlSecret);
        assertThat(changed.json().path("target").path("table").asText()).isEqualTo("orders_v2");

        // The definition the engines follow keeps the real secrets.
        startEngine();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(engine.sink("pg")).hasValueSatisfying(
                spec -> {
                    assertThat(spec.target().table()).isEqualTo("orders_v2");
                    assertThat(spec.target().password()).isEqualTo(secret);
                    assertThat(spec.target().url()).isEqualTo("jdbc:postgresql://127.0.0.1:1/db?ssl=false&PassWord="
                            + urlSecret + "&sslpassword=" + urlSecret);
                    assertThat(spec.toString()).doesNotContain(secret).doesNotContain(urlSecret);
                }));

        // A new password replaces the stored one; the mask where nothing is stored to keep is refused.
        HttpFixture.Reply replaced = sluice.patch("/v1/sinks/pg", "{\"target\": {\"type\": \"postgres\", \"table\":"
                + " \"t\", \"url\": \"jdbc:postgresql://127.0.0.1:1/db\", \"password\": \"new-one\"}}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.text()).doesNotContain("new-one");
        await().atMost(Duration.ofSeconds(20)).until(() -> engine.sink("pg").orElseThrow().target().password()
                .equals("new-one"));
        HttpFixture.Reply copied = sluice.post("/v1/sinks", "{\"name\": \"pg2\", \"topics\": [\"orders\"],"
                + " \"mapping\": [{\"name\": \"id\", \"path\": \"/id\"}], \"target\": " + target + "}");
        assertThat(copied.status()).isEqualTo(400);
        assertThat(copied.json().path("error").path("message").asText()).contains("target.password");
        assertThat(copied.text()).doesNotContain(urlSecret);
    }

    private void assertBad(String body, String field) {
        HttpFixture.Reply reply = sluice.post("/v1/sinks", body);
        assertThat(reply.status()).as(body).isEqualTo(400);
        assertThat(reply.json().path("error").path("message").asText()).as(body).contains(field);
    }
}
