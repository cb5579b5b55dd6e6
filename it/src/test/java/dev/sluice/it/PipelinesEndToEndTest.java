package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.BrokerConfig;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.SluiceHttp;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelines run in the broker, attached at run time through the REST API, for producers that were already running:
 * an idempotent Java producer (kafka-clients) and kcat (librdkafka). What is read back comes from the log.
 */
class PipelinesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static LogManager logs;
    private static KafkaBroker broker;
    private static SluiceHttp http;

    @BeforeAll
    static void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
        http = SluiceHttp.start(HttpConfig.of(new InetSocketAddress("127.0.0.1", 0), broker.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private static final String MASK_EMAILS = """
            {"id": "mask-emails", "name": "Mask e-mail addresses", "steps": [
              {"name": "find", "detective": {"type": "pii_email"}},
              {"name": "mask", "transform": {"type": "mask"}}]}""";

    @Test
    void emailsAreMaskedBeforeTheyReachTheLogForRunningJavaAndKcatProducers() throws Exception {
        ExternalTool.require("kcat", "apt-get install kcat");
        String topic = "orders-masked";
        String payload = "{\"user\":{\"email\":\"ann@example.com\",\"name\":\"Ann\"},\"total\":42}";
        try (KafkaProducer<String, String> producer = producer("checkout")) {
            producer.send(new ProducerRecord<>(topic, "before", payload)).get();

            assertThat(rest("POST", "/v1/pipelines", MASK_EMAILS).statusCode()).isEqualTo(201);
            HttpResponse<String> attached = rest("PUT", "/v1/audiences/*/" + topic + "/produce",
                    "{\"pipelines\": [\"mask-emails\"]}");
            assertThat(attached.statusCode()).as(attached.body()).isEqualTo(200);

            // The same producer, not restarted, and kcat.
            producer.send(new ProducerRecord<>(topic, "java", payload)).get();
            ExternalTool.Result kcat = ExternalTool.run(List.of("kcat", "-b", broker.bootstrapServers(), "-P",
                    "-t", topic, "-K:", "-X", "acks=all", "-X", "client.id=kcat-producer"), "kcat:" + payload + "\n",
                    Duration.ofSeconds(60), null);
            assertThat(kcat.exitCode()).as(kcat.stderr()).isZero();
        }

        Map<String, JsonNode> byKey = new java.util.HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(topic, 3)) {
            byKey.put(new String(record.key(), StandardCharsets.UTF_8), JSON.readTree(record.value()));
        }
        assertThat(byKey.get("before").at("/user/email").asText()).isEqualTo("ann@example.com");
        for (String key : List.of("java", "kcat")) {
            JsonNode value = byKey.get(key);
            assertThat(value.at("/user/email").asText()).as(key).isEqualTo("*".repeat("ann@example.com".length()));
            assertThat(value.at("/user/name").asText()).as(key).isEqualTo("Ann");
            assertThat(value.at("/total").asInt()).as(key).isEqualTo(42);
        }

        // Paused: records pass untouched; resumed: masked again.
        assertThat(rest("POST", "/v1/audiences/*/" + topic + "/produce/pause", "").statusCode()).isEqualTo(200);
        try (KafkaProducer<String, String> producer = producer("checkout")) {
            producer.send(new ProducerRecord<>(topic, "paused", payload)).get();
            assertThat(rest("POST", "/v1/audiences/*/" + topic + "/produce/resume", "").statusCode())
                    .isEqualTo(200);
            producer.send(new ProducerRecord<>(topic, "resumed", payload)).get();
        }
        List<ConsumerRecord<byte[], byte[]>> all = readAll(topic, 5);
        assertThat(JSON.readTree(all.get(3).value()).at("/user/email").asText()).isEqualTo("ann@example.com");
        assertThat(JSON.readTree(all.get(4).value()).at("/user/email").asText()).startsWith("***");
        assertThat(rest("DELETE", "/v1/audiences/*/" + topic + "/produce", "").statusCode()).isEqualTo(204);
    }

    @Test
    void recordsFailingTheSchemaGoToTheDeadLetterTopicAndIdempotentSequencesStayValid() throws Exception {
        String topic = "orders-checked";
        String pipeline = """
                {"id": "orders-schema", "steps": [
                  {"name": "schema", "schemaValidation": {"schema": {
                     "$schema": "https://json-schema.org/draft/2020-12/schema",
                     "type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}},
                   "onFalse": {"then": "dead_letter", "metadata": {"checked-by": "orders-schema"},
                               "notify": true}}]}""";
        assertThat(rest("POST", "/v1/pipelines", pipeline).statusCode()).isEqualTo(201);
        assertThat(rest("PUT", "/v1/audiences/*/" + topic + "/produce", "{\"pipelines\": [\"orders-schema\"]}")
                .statusCode()).isEqualTo(200);

        try (KafkaProducer<String, String> producer = producer("orders-service")) {
            // Several rounds of batches mixing good and bad records: every batch keeps its sequence numbers.
            for (int round = 0; round < 5; round++) {
                List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    int n = round * 20 + i;
                    String value = n % 4 == 3 ? "{\"id\": \"not-a-number-" + n + "\"}" : "{\"id\": " + n + "}";
                    sent.add(producer.send(new ProducerRecord<>(topic, 0, "k" + n, value)));
                }
                for (var future : sent) {
                    future.get();
                }
            }
        }
        List<ConsumerRecord<byte[], byte[]>> good = readAll(topic, 75);
        assertThat(good).hasSize(75);
        for (ConsumerRecord<byte[], byte[]> record : good) {
            assertThat(JSON.readTree(record.value()).get("id").isInt()).isTrue();
        }
        List<ConsumerRecord<byte[], byte[]>> dead = readAll(topic + ".dead-letter", 25);
        assertThat(dead).hasSize(25);
        ConsumerRecord<byte[], byte[]> first = dead.get(0);
        assertThat(JSON.readTree(first.value()).get("id").asText()).startsWith("not-a-number-");
        assertThat(header(first, "sluice.topic")).isEqualTo(topic);
        assertThat(header(first, "checked-by")).isEqualTo("orders-schema");
        assertThat(header(first, "sluice.error")).contains("orders-schema").contains("schema");
        // The good records kept their own offsets: the dead letters left gaps, as compaction does.
        assertThat(good.get(good.size() - 1).offset()).isEqualTo(98);
        // Each failure was also notified as a CloudEvent on the ops topic.
        List<ConsumerRecord<byte[], byte[]>> ops = readAll("sluice.ops", 25);
        assertThat(ops).hasSize(25);
        JsonNode event = JSON.readTree(ops.get(0).value());
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("type").asText()).isEqualTo("dev.sluice.pipeline.notification");
        assertThat(event.at("/data/pipeline").asText()).isEqualTo("orders-schema");
        assertThat(event.at("/data/outcome").asText()).isEqualTo("false");
        assertThat(event.at("/data/service").asText()).isEqualTo("orders-service");
    }

    @Test
    void aConsumingServiceSeesMaskedValuesWhileOtherConsumersAndTheLogKeepTheOriginal() throws Exception {
        String topic = "payments";
        String payload = "{\"card\":{\"holder\":\"Ann\",\"email\":\"ann@example.com\"},\"amount\":7}";
        try (KafkaProducer<String, String> producer = producer("payments-api")) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "p" + i, payload)).get();
            }
        }
        rest("POST", "/v1/pipelines", MASK_EMAILS.replace("mask-emails", "mask-for-analytics"));
        HttpResponse<String> attached = rest("PUT", "/v1/audiences/analytics/" + topic + "/consume",
                "{\"pipelines\": [\"mask-for-analytics\"]}");
        assertThat(attached.statusCode()).as(attached.body()).isEqualTo(200);

        List<ConsumerRecord<byte[], byte[]>> masked = readAll(topic, 10, "analytics");
        List<ConsumerRecord<byte[], byte[]>> plain = readAll(topic, 10, "billing");
        assertThat(masked).hasSize(10);
        assertThat(plain).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(masked.get(i).offset()).isEqualTo(plain.get(i).offset());
            assertThat(JSON.readTree(masked.get(i).value()).at("/card/email").asText()).startsWith("***");
            assertThat(JSON.readTree(masked.get(i).value()).at("/card/holder").asText()).isEqualTo("Ann");
            assertThat(JSON.readTree(plain.get(i).value()).at("/card/email").asText()).isEqualTo("ann@example.com");
        }
        assertThat(rest("DELETE", "/v1/audiences/analytics/" + topic + "/consume", "").statusCode()).isEqualTo(204);
    }

    @Test
    void tailShowsRecordsBeforeAndAfterTheBrokersPipelinesWhileOpen() throws Exception {
        String topic = "orders-tailed";
        rest("POST", "/v1/pipelines", MASK_EMAILS.replace("mask-emails", "mask-tailed").replace(
                "{\"type\": \"pii_email\"}}", "{\"type\": \"pii_email\"}, \"onTrue\": {\"metadata\": {\"masked-by\": \"tail\"}}}"));
        assertThat(rest("PUT", "/v1/audiences/*/" + topic + "/produce", "{\"pipelines\": [\"mask-tailed\"]}")
                .statusCode()).isEqualTo(200);
        HttpRequest request = HttpRequest.newBuilder(URI.create(http.url() + "/v1/audiences/*/" + topic
                + "/produce/tail?rate=100")).build();
        HttpResponse<java.util.stream.Stream<String>> tail = HTTP.send(request,
                HttpResponse.BodyHandlers.ofLines());
        assertThat(tail.statusCode()).isEqualTo(200);
        java.util.concurrent.CompletableFuture<JsonNode> sample = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> tail.body().filter(line -> line.startsWith("data: "))
                        .map(line -> {
                            try {
                                return JSON.readTree(line.substring(6));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }).findFirst().orElseThrow());
        try (KafkaProducer<String, String> producer = producer("tailed-producer")) {
            // Samples start once the broker has read the tail's lease; keep producing until one arrives.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, "k",
                        "{\"email\": \"tail@example.com\"}");
                record.headers().add("trace", "t-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                producer.send(record).get();
                return sample.isDone();
            });
        }
        JsonNode event = sample.get();
        assertThat(event.get("where").asText()).isEqualTo("broker");
        assertThat(event.get("client").asText()).isEqualTo("tailed-producer");
        assertThat(event.at("/before/email").asText()).isEqualTo("tail@example.com");
        assertThat(event.at("/after/email").asText()).isEqualTo("****************");
        assertThat(event.get("verdict").asText()).isEqualTo("pass");
        // The record's headers before, and after: those plus what the step's condition added.
        assertThat(event.at("/headers/before/trace").asText()).isEqualTo("t-1");
        assertThat(event.at("/headers/before").has("masked-by")).isFalse();
        assertThat(event.at("/headers/after/trace").asText()).isEqualTo("t-1");
        assertThat(event.at("/headers/after/masked-by").asText()).isEqualTo("tail");
        tail.body().close();
    }

    @Test
    void theBrokerInfersAVersionedSchemaPerAudienceThatTheApiShows() throws Exception {
        String topic = "orders-inferred";
        rest("POST", "/v1/pipelines", "{\"id\": \"infer\", \"steps\": [{\"inferSchema\": true}]}");
        rest("PUT", "/v1/audiences/*/" + topic + "/produce", "{\"pipelines\": [\"infer\"]}");
        assertThat(rest("GET", "/v1/audiences/*/" + topic + "/produce/schema", "").statusCode()).isEqualTo(404);
        try (KafkaProducer<String, String> producer = producer("inferring")) {
            producer.send(new ProducerRecord<>(topic, "a", "{\"id\": 1, \"name\": \"x\"}")).get();
            producer.send(new ProducerRecord<>(topic, "b", "{\"id\": 2, \"name\": \"y\"}")).get();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                rest("GET", "/v1/audiences/*/" + topic + "/produce/schema", "").statusCode() == 200);
        JsonNode first = JSON.readTree(rest("GET", "/v1/audiences/*/" + topic + "/produce/schema", "").body());
        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(first.at("/schema/properties/id/type").asText()).isEqualTo("integer");

        try (KafkaProducer<String, String> producer = producer("inferring")) {
            producer.send(new ProducerRecord<>(topic, "c", "{\"id\": 2.5, \"extra\": true}")).get();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode widened = JSON.readTree(rest("GET", "/v1/audiences/*/" + topic + "/produce/schema", "").body());
            assertThat(widened.get("version").asInt()).isEqualTo(2);
            assertThat(widened.at("/schema/properties/id/type").asText()).isEqualTo("number");
            assertThat(widened.at("/schema/properties/extra").isObject()).isTrue();
        });
    }

    @Test
    void dryRunShowsEveryStepAndBadDefinitionsAreRefusedWithTheirField() throws Exception {
        HttpResponse<String> dry = rest("POST", "/v1/pipelines/dry-run", """
                {"pipeline": %s, "payload": {"contact": "write to bob@example.org", "n": 1}}"""
                .formatted(MASK_EMAILS));
        assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(dry.body());
        assertThat(result.get("verdict").asText()).isEqualTo("pass");
        assertThat(result.get("changed").asBoolean()).isTrue();
        assertThat(result.at("/value/contact").asText()).doesNotContain("bob@example.org");
        assertThat(result.get("steps")).hasSize(2);
        assertThat(result.at("/steps/0/outcome").asText()).isEqualTo("true");

        HttpResponse<String> unknown = rest("POST", "/v1/pipelines", """
                {"id": "broken", "steps": [{"name": "s1", "detective": {"type": "no_such_check"}}]}""");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("invalid_pipeline").contains("s1").contains("no_such_check");
        assertThat(JSON.readTree(unknown.body()).at("/error/step/index").asInt(-1)).isZero();
        assertThat(JSON.readTree(unknown.body()).at("/error/step/name").asText()).isEqualTo("s1");

        HttpResponse<String> twoKinds = rest("POST", "/v1/pipelines", """
                {"id": "broken", "steps": [{"validJson": true, "inferSchema": true}]}""");
        assertThat(twoKinds.statusCode()).isEqualTo(400);
        assertThat(twoKinds.body()).contains("exactly one");

        HttpResponse<String> missing = rest("PUT", "/v1/audiences/*/somewhere/produce",
                "{\"pipelines\": [\"nope\"]}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("nope");

        HttpResponse<String> direction = rest("PUT", "/v1/audiences/*/somewhere/sideways",
                "{\"pipelines\": []}");
        assertThat(direction.statusCode()).isEqualTo(400);
        assertThat(direction.body()).contains("produce or consume");

        assertThat(rest("POST", "/v1/pipelines", MASK_EMAILS.replace("mask-emails", "attached")).statusCode())
                .isEqualTo(201);
        assertThat(rest("PUT", "/v1/audiences/svc/attached-topic/produce", "{\"pipelines\": [\"attached\"]}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> inUse = rest("DELETE", "/v1/pipelines/attached", "");
        assertThat(inUse.statusCode()).isEqualTo(409);
        assertThat(inUse.body()).contains("svc/attached-topic/produce");

        JsonNode types = JSON.readTree(rest("GET", "/v1/pipelines/types", "").body());
        assertThat(types.get("detective").toString()).contains("\"pii_email\"", "\"has_field\"", "\"pii_keyword\"");
        assertThat(types.get("transform").toString()).contains("\"mask\"", "\"extract\"");
        assertThat(types.get("then").toString()).contains("\"dead_letter\"", "\"abort_all\"");
        assertThat(types.get("steps")).hasSize(6);

        // PUT creates a pipeline it does not find (version 1), then replaces it (version 2).
        String steps = "{\"steps\": [{\"detective\": {\"type\": \"pii_email\"}}]}";
        HttpResponse<String> made = rest("PUT", "/v1/pipelines/put-made", steps);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(JSON.readTree(made.body()).get("version").asInt()).isEqualTo(1);
        HttpResponse<String> replaced = rest("PUT", "/v1/pipelines/put-made", steps);
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replaced.body()).get("version").asInt()).isEqualTo(2);
        assertThat(rest("PUT", "/v1/pipelines/Not%20an%20id", steps).statusCode()).isEqualTo(400);

        HttpResponse<String> notWasm = rest("POST", "/v1/wasm", "hello");
        assertThat(notWasm.statusCode()).isEqualTo(400);
        assertThat(notWasm.body()).contains("invalid_wasm");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> rest(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(http.url() + path))
                .header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static KafkaProducer<String, String> producer(String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Reads a topic's partition 0 from the beginning until {@code expected} records arrived (or 30 s passed). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        return readAll(topic, expected, "reader");
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected, String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
