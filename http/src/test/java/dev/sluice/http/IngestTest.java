package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP sources: what is posted lands in the topic durably, with its metadata, and bad input is refused. */
class IngestTest {
    @TempDir
    Path dir;

    private HttpFixture sluice;

    @BeforeEach
    void start() throws Exception {
        sluice = new HttpFixture(dir, null, config -> path(config.withLimits(64 * 1024,
                HttpConfig.DEFAULT_SOURCE_IN_FLIGHT_BYTES, HttpConfig.DEFAULT_TOTAL_IN_FLIGHT_BYTES)));
    }

    /** Which way records reach the broker: here, appended directly, as in a node that runs both components. */
    HttpConfig path(HttpConfig config) {
        return config;
    }

    @AfterEach
    void stop() {
        sluice.close();
    }

    private JsonNode createSource(String name, String topic, String extra) {
        HttpFixture.Reply created = sluice.post("/v1/sources",
                "{\"name\": \"" + name + "\", \"topic\": \"" + topic + "\"" + extra + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }

    private HttpFixture.Reply ingest(String path, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sluice.url() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return sluice.send(request, false);
    }

    private HttpFixture.Reply ingest(String path, String contentType, String body) {
        return ingest(path, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        Map<String, Object> config = new HashMap<>(sluice.kafkaConfig());
        config.put("key.deserializer", ByteArrayDeserializer.class);
        config.put("value.deserializer", ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aJsonPostBecomesOneDurableRecordWithRequestMetadata() {
        JsonNode source = createSource("shop", "orders", ", \"headers\": [\"User-Agent\", \"X-Request-Id\"]");
        assertThat(source.path("secret").asText()).hasSizeGreaterThanOrEqualTo(40);
        String path = source.path("url").asText();
        assertThat(path).isEqualTo("/ingest/shop/" + source.path("secret").asText());

        HttpFixture.Reply reply = ingest(path, "application/json; charset=utf-8",
                "{\"order\": 7, \"total\": 12.5}".getBytes(StandardCharsets.UTF_8),
                Map.of("X-Request-Id", "req-1", "User-Agent", "test-agent"));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.json().path("records").asInt()).isEqualTo(1);
        assertThat(reply.json().path("durable").asBoolean()).isTrue();

        List<ConsumerRecord<byte[], byte[]>> records = records("orders");
        assertThat(records).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = records.getFirst();
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"order\": 7, \"total\": 12.5}");
        assertThat(header(record, "sluice.source")).isEqualTo("shop");
        assertThat(header(record, "sluice.content-type")).isEqualTo("application/json; charset=utf-8");
        assertThat(header(record, "sluice.client-ip")).isEqualTo("127.0.0.1");
        assertThat(Long.parseLong(header(record, "sluice.received-at"))).isEqualTo(record.timestamp());
        assertThat(header(record, "http.x-request-id")).isEqualTo("req-1");
        assertThat(header(record, "http.user-agent")).isEqualTo("test-agent");
    }

    @Test
    void batchesFormsTextAndBinaryEachBecomeRecords() {
        String path = createSource("many", "mixed", "").path("url").asText();
        assertThat(ingest(path + "?batch=true", "application/json", "[{\"a\":1}, {\"a\":2}, 3]").json()
                .path("records").asInt()).isEqualTo(3);
        assertThat(ingest(path, "application/x-ndjson", "{\"b\":1}\n\n{\"b\":2}\r\n").json().path("records")
                .asInt()).isEqualTo(2);
        assertThat(ingest(path + "?batch=true", "application/json", "{\"c\":1}\n{\"c\":2}").json()
                .path("records").asInt()).isEqualTo(2);
        assertThat(ingest(path, "application/x-www-form-urlencoded", "name=J%C3%BCrg&tag=a&tag=b").status())
                .isEqualTo(200);
        assertThat(ingest(path, "text/plain", "just text").status()).isEqualTo(200);
        byte[] binary = {0, (byte) 0xff, 42};
        assertThat(ingest(path, "application/octet-stream", binary, Map.of()).status()).isEqualTo(200);

        List<String> values = records("mixed").stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList();
        assertThat(values).hasSize(10);
        assertThat(values.subList(0, 7)).containsExactly("{\"a\":1}", "{\"a\":2}", "3", "{\"b\":1}", "{\"b\":2}",
                "{\"c\":1}", "{\"c\":2}");
        assertThat(values.get(7)).isEqualTo("{\"name\":\"Jürg\",\"tag\":[\"a\",\"b\"]}");
        assertThat(values.get(8)).isEqualTo("just text");
        assertThat(records("mixed").get(9).value()).containsExactly(binary);
    }

    @Test
    void unknownDisabledAndWrongSecretAllGetTheSame404() {
        JsonNode source = createSource("hidden", "quiet", "");
        String secret = source.path("secret").asText();
        HttpFixture.Reply wrongSecret = ingest("/ingest/hidden/" + secret + "x", "application/json", "{}");
        HttpFixture.Reply unknown = ingest("/ingest/nobody/" + secret, "application/json", "{}");
        assertThat(sluice.post("/v1/sources/hidden/disable", "").json().path("enabled").asBoolean()).isFalse();
        HttpFixture.Reply disabled = ingest("/ingest/hidden/" + secret, "application/json", "{}");
        for (HttpFixture.Reply reply : List.of(wrongSecret, unknown, disabled)) {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.text()).isEqualTo(unknown.text());
        }
        sluice.post("/v1/sources/hidden/enable", "");
        assertThat(ingest("/ingest/hidden/" + secret, "application/json", "{}").status()).isEqualTo(200);

        String rotated = sluice.post("/v1/sources/hidden/rotate-secret", "").json().path("secret").asText();
        assertThat(rotated).isNotEqualTo(secret);
        assertThat(ingest("/ingest/hidden/" + secret, "application/json", "{}").status()).isEqualTo(404);
        assertThat(ingest("/ingest/hidden/" + rotated, "application/json", "{}").status()).isEqualTo(200);
        assertThat(records("quiet")).hasSize(2);
    }

    @Test
    void badBodiesGetPreciseErrorsAndWriteNothing() {
        String path = createSource("picky", "clean", "").path("url").asText();
        HttpFixture.Reply syntax = ingest(path, "application/json", "{\"a\": 1,\n  \"b\": tru}");
        assertThat(syntax.status()).isEqualTo(400);
        assertThat(syntax.errorCode()).isEqualTo("invalid_json");
        assertThat(syntax.json().path("error").path("message").asText()).contains("line 2, column");

        HttpFixture.Reply array = ingest(path, "application/json", "[1, 2]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().path("error").path("message").asText()).contains("batch=true");

        HttpFixture.Reply ndjson = ingest(path, "application/x-ndjson", "{\"ok\":1}\n{oops}\n");
        assertThat(ndjson.status()).isEqualTo(400);
        assertThat(ndjson.json().path("error").path("message").asText()).startsWith("line 2");

        assertThat(ingest(path, "application/json", "").status()).isEqualTo(400);
        HttpFixture.Reply tooLarge = ingest(path, "text/plain", "x".repeat(65 * 1024));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("too_large");

        assertThat(records("clean")).isEmpty();
    }

    @Test
    void aMappingTurnsEachRequestIntoAStructuredRecord() throws Exception {
        String path = createSource("mapped", "rows", """
                , "mapping": [
                  {"name": "id", "value": "uuid"},
                  {"name": "order", "path": "/order/id"},
                  {"name": "agent", "header": "User-Agent"},
                  {"name": "received", "value": "timestamp"},
                  {"name": "ip", "value": "client_ip"},
                  {"name": "cents", "expr": "int(body.order.total * 100.0)"}
                ]""").path("url").asText();
        HttpFixture.Reply reply = ingest(path + "?batch=true", "application/json",
                "[{\"order\": {\"id\": 1, \"total\": 2.5}}, {\"order\": {\"id\": 2, \"total\": 0.1}}]"
                        .getBytes(StandardCharsets.UTF_8), Map.of("User-Agent", "probe/1"));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);

        List<ConsumerRecord<byte[], byte[]>> records = records("rows");
        assertThat(records).hasSize(2);
        JsonNode first = HttpFixture.JSON.readTree(records.get(0).value());
        assertThat(first.fieldNames()).toIterable().containsExactly("id", "order", "agent", "received", "ip", "cents");
        assertThat(java.util.UUID.fromString(first.get("id").asText()).version()).isEqualTo(7);
        assertThat(first.get("order").asInt()).isEqualTo(1);
        assertThat(first.get("agent").asText()).isEqualTo("probe/1");
        assertThat(first.get("received").asLong()).isEqualTo(records.get(0).timestamp());
        assertThat(first.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(first.get("cents").asLong()).isEqualTo(250);
        assertThat(HttpFixture.JSON.readTree(records.get(1).value()).get("cents").asLong()).isEqualTo(10);

        HttpFixture.Reply text = ingest(path, "text/plain", "not json");
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.errorCode()).isEqualTo("unsupported_media_type");
        HttpFixture.Reply failing = ingest(path, "application/json", "{\"order\": {\"id\": 3}}");
        assertThat(failing.status()).isEqualTo(400);
        assertThat(failing.json().path("error").path("message").asText()).contains("column 'cents'");
        assertThat(records("rows")).hasSize(2);

        HttpFixture.Reply broken = sluice.patch("/v1/sources/mapped",
                "{\"mapping\": [{\"name\": \"x\", \"expr\": \"body.a +\"}]}");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("error").path("message").asText()).contains("column 'x'");
        HttpFixture.Reply removed = sluice.patch("/v1/sources/mapped", "{\"mapping\": []}");
        assertThat(removed.json().has("mapping")).isFalse();
        assertThat(ingest(path, "text/plain", "now raw").status()).isEqualTo(200);
    }

    @Test
    void waitFalseAnswers202AndTheRecordStillLands() {
        String path = createSource("fast", "quick", "").path("url").asText();
        HttpFixture.Reply reply = ingest(path + "?wait=false", "application/json", "{\"n\":1}");
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().path("durable").asBoolean()).isFalse();
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(records("quick")).hasSize(1));
    }

    @Test
    void browsersGetCorsHeadersOnlyFromAllowedOrigins() {
        String path = createSource("web", "clicks", ", \"corsOrigins\": [\"https://shop.example\"]").path("url")
                .asText();
        HttpFixture.Reply preflight = sluice.send(HttpRequest.newBuilder(URI.create(sluice.url() + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://shop.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type"), false);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.response().headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue("https://shop.example");
        assertThat(preflight.response().headers().firstValue("Access-Control-Allow-Methods").orElse(""))
                .contains("POST");

        HttpFixture.Reply foreign = sluice.send(HttpRequest.newBuilder(URI.create(sluice.url() + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST"), false);
        assertThat(foreign.status()).isEqualTo(403);

        HttpFixture.Reply post = ingest(path, "application/json", "{\"c\":1}".getBytes(StandardCharsets.UTF_8),
                Map.of("Origin", "https://shop.example"));
        assertThat(post.response().headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue("https://shop.example");
    }

    @Test
    void sourcesSurviveARestartOfTheHttpComponent() {
        JsonNode source = createSource("kept", "kept-topic", ", \"headers\": [\"X-A\"]");
        sluice.post("/v1/sources/kept/rotate-secret", "");
        String secret = sluice.get("/v1/sources/kept").json().path("secret").asText();
        sluice.post("/v1/sources", "{\"name\": \"gone\", \"topic\": \"kept-topic\"}");
        assertThat(sluice.delete("/v1/sources/gone").status()).isEqualTo(204);

        sluice.stopHttp();
        sluice.startHttp();

        JsonNode list = sluice.get("/v1/sources").json().path("sources");
        assertThat(list.findValuesAsText("name")).containsExactly("kept");
        assertThat(list.get(0).path("secret").asText()).isEqualTo(secret).isNotEqualTo(source.path("secret")
                .asText());
        assertThat(list.get(0).path("headers").get(0).asText()).isEqualTo("X-A");
        assertThat(ingest("/ingest/kept/" + secret, "application/json", "{}").status()).isEqualTo(200);
        assertThat(sluice.get("/v1/sources/gone").status()).isEqualTo(404);
    }

    @Test
    void badSourceRequestsGetPreciseErrors() {
        createSource("taken", "t1", "");
        assertThat(sluice.post("/v1/sources", "{\"name\": \"taken\", \"topic\": \"t1\"}").errorCode())
                .isEqualTo("source_exists");
        assertThat(sluice.post("/v1/sources", "{\"name\": \"has space\", \"topic\": \"t1\"}").status())
                .isEqualTo(400);
        assertThat(sluice.post("/v1/sources", "{\"name\": \"notopic\"}").status()).isEqualTo(400);
        assertThat(sluice.post("/v1/sources/none/rotate-secret", "").status()).isEqualTo(404);
        HttpFixture.Reply changed = sluice.patch("/v1/sources/taken", "{\"topic\": \"t2\", \"enabled\": false}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("topic").asText()).isEqualTo("t2");
        assertThat(sluice.get("/v1/topics/t2").status()).isEqualTo(200);
    }

    /**
     * Many clients post at once; whatever was acknowledged with 200 is in the topic exactly once. Bounded: 8
     * clients, 250 posts each.
     */
    @Test
    void everyAcknowledgedRecordIsInTheTopicExactlyOnceUnderConcurrentLoad() throws Exception {
        String path = createSource("load", "loaded", "").path("url").asText();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                for (int i = 0; i < 250; i++) {
                    String id = client + "-" + i;
                    HttpFixture.Reply reply = ingest(path, "application/json", "{\"id\":\"" + id + "\"}");
                    if (reply.status() == 200) {
                        acknowledged.add(id);
                    } else {
                        assertThat(reply.status()).isIn(429, 503);
                    }
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        clients.shutdown();
        List<String> stored = records("loaded").stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        Map<String, Integer> counts = new HashMap<>();
        for (String value : stored) {
            counts.merge(HttpFixture.JSON.readTree(value).path("id").asText(), 1, Integer::sum);
        }
        assertThat(acknowledged).hasSizeGreaterThan(1900);
        for (String id : acknowledged) {
            assertThat(counts.get(id)).as("record %s", id).isEqualTo(1);
        }
    }
}
