package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API against a real broker: topics, records, tail, groups, and its errors. */
class RestApiTest {
    @TempDir
    Path dir;

    private HttpFixture sluice;

    @BeforeEach
    void start() throws Exception {
        sluice = new HttpFixture(dir, null, config -> config.withLimits(64 * 1024,
                HttpConfig.DEFAULT_SOURCE_IN_FLIGHT_BYTES, HttpConfig.DEFAULT_TOTAL_IN_FLIGHT_BYTES));
    }

    @AfterEach
    void stop() {
        sluice.close();
    }

    @Test
    void topicsAreCreatedListedDescribedChangedAndDeleted() {
        HttpFixture.Reply created = sluice.post("/v1/topics",
                "{\"name\": \"orders\", \"partitions\": 2, \"configs\": {\"retention.ms\": \"86400000\"}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("partitions")).hasSize(2);
        assertThat(created.json().path("configs").path("retention.ms").asText()).isEqualTo("86400000");

        assertThat(sluice.get("/v1/topics").json().path("topics").findValuesAsText("name")).contains("orders")
                .noneMatch(name -> name.startsWith("_"));
        assertThat(sluice.get("/v1/topics?internal=true").json().path("topics").findValuesAsText("name"))
                .contains("_sluice_sources");

        sluice.post("/v1/topics/orders/records", "{\"records\": [{\"value\": {\"id\": 1}, \"partition\": 1}]}");
        JsonNode described = sluice.get("/v1/topics/orders").json();
        assertThat(described.path("partitions").get(1).path("endOffset").asLong()).isEqualTo(1);
        assertThat(described.path("partitions").get(1).path("sizeBytes").asLong()).isPositive();
        assertThat(described.path("partitions").get(0).path("endOffset").asLong()).isZero();

        HttpFixture.Reply changed = sluice.patch("/v1/topics/orders",
                "{\"partitions\": 4, \"configs\": {\"retention.ms\": null, \"cleanup.policy\": \"compact\"}}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("partitions")).hasSize(4);
        assertThat(changed.json().path("configs").path("cleanup.policy").asText()).isEqualTo("compact");
        assertThat(changed.json().path("configs").path("retention.ms").asText()).isNotEqualTo("86400000");

        HttpFixture.Reply fewer = sluice.patch("/v1/topics/orders", "{\"partitions\": 3}");
        assertThat(fewer.status()).isEqualTo(400);
        assertThat(fewer.json().path("error").path("message").asText()).contains("never removed");

        assertThat(sluice.delete("/v1/topics/orders").status()).isEqualTo(204);
        HttpFixture.Reply gone = sluice.get("/v1/topics/orders");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("topic_not_found");
        assertThat(gone.json().path("error").path("message").asText()).isEqualTo("topic 'orders' does not exist");
        assertThat(sluice.delete("/v1/topics/orders").status()).isEqualTo(404);
    }

    @Test
    void badTopicRequestsGetPreciseErrors() {
        sluice.post("/v1/topics", "{\"name\": \"dup\"}");
        HttpFixture.Reply duplicate = sluice.post("/v1/topics", "{\"name\": \"dup\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.errorCode()).isEqualTo("topic_exists");

        assertThat(sluice.post("/v1/topics", "{\"name\": \"x\", \"partitions\": 0}").status()).isEqualTo(400);
        HttpFixture.Reply unknownField = sluice.post("/v1/topics", "{\"name\": \"x\", \"partitons\": 2}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().path("error").path("message").asText()).contains("partitons");

        HttpFixture.Reply broken = sluice.post("/v1/topics", "{\"name\": \"x\",\n \"partitions\": }");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.errorCode()).isEqualTo("invalid_json");
        assertThat(broken.json().path("error").path("message").asText()).contains("line 2");

        HttpFixture.Reply badName = sluice.post("/v1/topics", "{\"name\": \"no spaces allowed\"}");
        assertThat(badName.status()).isEqualTo(400);

        HttpFixture.Reply noRoute = sluice.get("/v1/nothing-here");
        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(noRoute.errorCode()).isEqualTo("not_found");
    }

    @Test
    void recordsAreProducedInEveryEncodingAndReadBack() {
        sluice.post("/v1/topics", "{\"name\": \"events\", \"partitions\": 1}");
        String binary = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0, 1});
        HttpFixture.Reply produced = sluice.post("/v1/topics/events/records", """
                {"records": [
                  {"key": "a", "value": {"n": 1, "tags": ["x"]}, "headers": {"trace": "t-1"}},
                  {"key": "b", "value": "plain text", "encoding": "string"},
                  {"value": "%s", "encoding": "base64"},
                  {"key": "d", "value": null}
                ]}""".formatted(binary));
        assertThat(produced.status()).isEqualTo(200);
        assertThat(produced.json().path("offsets").findValuesAsText("offset")).containsExactly("0", "1", "2", "3");

        JsonNode read = sluice.get("/v1/topics/events/records?partition=0&offset=0&limit=10").json();
        JsonNode records = read.path("records");
        assertThat(records).hasSize(4);
        assertThat(records.get(0).path("value").path("tags").get(0).asText()).isEqualTo("x");
        assertThat(records.get(0).path("encoding").asText()).isEqualTo("json");
        assertThat(records.get(0).path("headers").path("trace").asText()).isEqualTo("t-1");
        assertThat(records.get(1).path("value").asText()).isEqualTo("plain text");
        assertThat(records.get(1).path("encoding").asText()).isEqualTo("string");
        assertThat(records.get(2).path("value").asText()).isEqualTo(binary);
        assertThat(records.get(2).path("encoding").asText()).isEqualTo("base64");
        assertThat(records.get(3).path("value").isNull()).isTrue();
        assertThat(read.path("nextOffset").asLong()).isEqualTo(4);

        JsonNode page = sluice.get("/v1/topics/events/records?offset=1&limit=2").json();
        assertThat(page.path("records").findValuesAsText("offset")).containsExactly("1", "2");
        assertThat(page.path("nextOffset").asLong()).isEqualTo(3);
        assertThat(sluice.get("/v1/topics/events/records?offset=4").json().path("records")).isEmpty();
    }

    @Test
    void recordsAreReadFromTheFirstOneAtOrAfterATime() {
        sluice.post("/v1/topics", "{\"name\": \"timed\", \"partitions\": 1}");
        sluice.post("/v1/topics/timed/records", "{\"records\": [{\"value\": 1}]}");
        long first = sluice.get("/v1/topics/timed/records").json().path("records").get(0).path("timestamp").asLong();
        org.awaitility.Awaitility.await().until(() -> System.currentTimeMillis() > first);
        sluice.post("/v1/topics/timed/records", "{\"records\": [{\"value\": 2}]}");

        JsonNode after = sluice.get("/v1/topics/timed/records?timestamp=" + (first + 1)).json();
        assertThat(after.path("records").findValuesAsText("offset")).containsExactly("1");
        String iso = java.time.Instant.ofEpochMilli(first).toString();
        assertThat(sluice.get("/v1/topics/timed/records?timestamp=" + iso).json().path("records")
                .findValuesAsText("offset")).containsExactly("0", "1");
        JsonNode future = sluice.get("/v1/topics/timed/records?timestamp=2999-01-01T00:00:00Z").json();
        assertThat(future.path("records")).isEmpty();
        assertThat(future.path("nextOffset").asLong()).isEqualTo(2);
        HttpFixture.Reply bad = sluice.get("/v1/topics/timed/records?timestamp=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("message").asText()).contains("timestamp");
    }

    @Test
    void badRecordRequestsGetPreciseErrorsAndWriteNothing() {
        sluice.post("/v1/topics", "{\"name\": \"strict\", \"partitions\": 1}");
        assertThat(sluice.post("/v1/topics/missing/records", "{\"records\": [{\"value\": 1}]}").errorCode())
                .isEqualTo("topic_not_found");
        HttpFixture.Reply badPartition = sluice.post("/v1/topics/strict/records",
                "{\"records\": [{\"value\": 1, \"partition\": 5}]}");
        assertThat(badPartition.status()).isEqualTo(400);
        assertThat(badPartition.json().path("error").path("message").asText()).contains("records[0].partition");
        HttpFixture.Reply badBase64 = sluice.post("/v1/topics/strict/records",
                "{\"records\": [{\"value\": 1}, {\"value\": \"%%%\", \"encoding\": \"base64\"}]}");
        assertThat(badBase64.status()).isEqualTo(400);
        assertThat(badBase64.json().path("error").path("message").asText()).contains("records[1]");
        assertThat(sluice.post("/v1/topics/strict/records", "{\"records\": []}").status()).isEqualTo(400);
        assertThat(sluice.post("/v1/topics/strict/records", "[1, 2]").status()).isEqualTo(400);

        HttpFixture.Reply text = sluice.send(HttpRequest.newBuilder(URI.create(sluice.url()
                + "/v1/topics/strict/records")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")), true);
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.errorCode()).isEqualTo("unsupported_media_type");

        String big = "{\"records\": [{\"value\": \"" + "x".repeat(70 * 1024) + "\", \"encoding\": \"string\"}]}";
        HttpFixture.Reply tooLarge = sluice.post("/v1/topics/strict/records", big);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("too_large");

        assertThat(sluice.get("/v1/topics/strict").json().path("partitions").get(0).path("endOffset").asLong())
                .isZero();
        assertThat(sluice.get("/v1/topics/strict/records?partition=3").status()).isEqualTo(404);
        assertThat(sluice.get("/v1/topics/strict/records?limit=abc").status()).isEqualTo(400);
    }

    @Test
    void tailStreamsNewRecordsAsServerSentEvents() throws Exception {
        sluice.post("/v1/topics", "{\"name\": \"live\", \"partitions\": 2}");
        sluice.post("/v1/topics/live/records", "{\"records\": [{\"value\": {\"old\": true}}]}");
        HttpResponse<Stream<String>> stream = sluice.client.send(HttpRequest.newBuilder(
                URI.create(sluice.url() + "/v1/topics/live/tail")).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> data = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> stream.body()
                .filter(line -> line.startsWith("data: ")).limit(2).forEach(line -> data.add(line.substring(6))));
        // The tail starts at the end: only records produced after it opened arrive.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            sluice.post("/v1/topics/live/records", "{\"records\": [{\"value\": {\"new\": 1}, \"partition\": 1}]}");
            assertThat(data).isNotEmpty();
        });
        JsonNode first = HttpFixture.JSON.readTree(data.getFirst());
        assertThat(first.path("value").path("new").asInt()).isEqualTo(1);
        assertThat(first.path("partition").asInt()).isEqualTo(1);
        stream.body().close();
        reader.cancel(true);
    }

    @Test
    void recordsCrossBetweenHttpAndKafkaClients() {
        sluice.post("/v1/topics", "{\"name\": \"bridge\", \"partitions\": 1}");
        Map<String, Object> producerConfig = new HashMap<>(sluice.kafkaConfig());
        producerConfig.put("key.serializer", StringSerializer.class);
        producerConfig.put("value.serializer", StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            producer.send(new ProducerRecord<>("bridge", "k", "{\"from\":\"kafka\"}")).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        sluice.post("/v1/topics/bridge/records", "{\"records\": [{\"key\": \"h\", \"value\": {\"from\": \"http\"}}]}");

        JsonNode read = sluice.get("/v1/topics/bridge/records").json().path("records");
        assertThat(read.get(0).path("value").path("from").asText()).isEqualTo("kafka");

        Map<String, Object> consumerConfig = new HashMap<>(sluice.kafkaConfig());
        consumerConfig.put("group.id", "bridge-reader");
        consumerConfig.put("auto.offset.reset", "earliest");
        consumerConfig.put("key.deserializer", StringDeserializer.class);
        consumerConfig.put("value.deserializer", StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of("bridge"));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= 2;
            });
            assertThat(seen.get(1).key()).isEqualTo("h");
            assertThat(seen.get(1).value()).isEqualTo("{\"from\":\"http\"}");
            consumer.commitSync();
        }

        JsonNode group = sluice.get("/v1/groups/bridge-reader").json();
        assertThat(group.path("lag").asLong()).isZero();
        assertThat(group.path("offsets").get(0).path("committed").asLong()).isEqualTo(2);
        assertThat(sluice.get("/v1/groups").json().path("groups").findValuesAsText("groupId"))
                .contains("bridge-reader");
    }

    @Test
    void groupsShowLagAndResetOnlyWhenStopped() throws Exception {
        sluice.post("/v1/topics", "{\"name\": \"work\", \"partitions\": 2}");
        sluice.post("/v1/topics/work/records", "{\"records\": [{\"value\": 1, \"partition\": 0}, "
                + "{\"value\": 2, \"partition\": 0}, {\"value\": 3, \"partition\": 1}]}");
        assertThat(sluice.post("/v1/groups/cli/offsets",
                "{\"offsets\": [{\"topic\": \"work\", \"partition\": 0, \"offset\": 1}]}").status()).isEqualTo(200);
        JsonNode described = sluice.get("/v1/groups/cli").json();
        assertThat(described.path("lag").asLong()).isEqualTo(1);

        HttpFixture.Reply latest = sluice.post("/v1/groups/cli/reset", "{\"to\": \"latest\", \"topic\": \"work\"}");
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.json().path("lag").asLong()).isZero();
        HttpFixture.Reply earliest = sluice.post("/v1/groups/cli/reset", "{\"to\": \"earliest\"}");
        assertThat(earliest.json().path("offsets").get(0).path("committed").asLong()).isZero();
        HttpFixture.Reply byTime = sluice.post("/v1/groups/cli/reset",
                "{\"to\": \"timestamp\", \"timestamp\": " + (System.currentTimeMillis() + 60_000) + "}");
        assertThat(byTime.json().path("offsets").get(0).path("committed").asLong()).isEqualTo(2);

        assertThat(sluice.post("/v1/groups/cli/reset", "{\"to\": \"yesterday\"}").status()).isEqualTo(400);
        assertThat(sluice.get("/v1/groups/nobody").status()).isEqualTo(404);

        Map<String, Object> consumerConfig = new HashMap<>(sluice.kafkaConfig());
        consumerConfig.put("group.id", "busy");
        consumerConfig.put("key.deserializer", StringDeserializer.class);
        consumerConfig.put("value.deserializer", StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of("work"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
            });
            JsonNode busy = sluice.get("/v1/groups/busy").json();
            assertThat(busy.path("members")).hasSize(1);
            assertThat(busy.path("members").get(0).path("partitions")).hasSize(2);
            HttpFixture.Reply refused = sluice.post("/v1/groups/busy/reset", "{\"to\": \"earliest\", "
                    + "\"topic\": \"work\"}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.errorCode()).isEqualTo("group_not_empty");
        }
    }

    @Test
    void healthAndOpenApiAreServed() {
        assertThat(sluice.get("/health").json().path("status").asText()).isEqualTo("ok");
        assertThat(sluice.get("/health/ready").status()).isEqualTo(200);
        JsonNode doc = sluice.get("/v1/openapi.json").json();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("paths").has("/v1/topics/{topic}/records")).isTrue();
    }

}
