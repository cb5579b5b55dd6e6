package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.services.ServiceTopics;
import dev.sluice.services.trigger.CloudEventCodec;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.EventData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/events}: CloudEvents over HTTP in structured and binary mode become records in Kafka binary mode
 * ({@code ce_} headers) that a plain Kafka consumer, and the services' codec, read.
 */
class EventRoutesTest {
    @TempDir
    Path dir;

    private HttpFixture sluice;

    @BeforeEach
    void start() throws IOException {
        sluice = new HttpFixture(dir);
    }

    @AfterEach
    void stop() {
        sluice.close();
    }

    ConsumerRecord<byte[], byte[]> recordAt(String topic, long offset) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(sluice.kafkaConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                    if (record.offset() == offset) {
                        return record;
                    }
                }
            }
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    HttpFixture.Reply binary(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sluice.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return sluice.send(request, true);
    }

    @Test
    void aStructuredEventIsWrittenInBinaryModeKeyedBySubject() {
        HttpFixture.Reply sent = sluice.post("/v1/events", new byte[0], "application/cloudevents+json");
        assertThat(sent.status()).isEqualTo(400);

        sent = sluice.post("/v1/events", """
                {"specversion": "1.0", "id": "e-1", "type": "shop.order.created", "source": "/shop",
                 "subject": "order-7", "time": "2025-01-02T03:04:05Z", "tenant": "acme",
                 "datacontenttype": "application/json", "data": {"amount": 1200}}
                """.getBytes(StandardCharsets.UTF_8), "application/cloudevents+json; charset=utf-8");

        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        assertThat(sent.json().path("id").asText()).isEqualTo("e-1");
        assertThat(sent.json().path("topic").asText()).isEqualTo(ServiceTopics.EVENTS);
        assertThat(sent.json().path("partition").asInt()).isZero();
        ConsumerRecord<byte[], byte[]> record = recordAt(ServiceTopics.EVENTS, sent.json().path("offset").asLong());
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("order-7");
        assertThat(header(record, "ce_id")).isEqualTo("e-1");
        assertThat(header(record, "ce_type")).isEqualTo("shop.order.created");
        assertThat(header(record, "ce_source")).isEqualTo("/shop");
        assertThat(header(record, "ce_tenant")).isEqualTo("acme");
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":1200}");
        Event event = new CloudEventCodec().read(record);
        assertThat(event.time()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
    }

    @Test
    void plainJsonWithSpecversionIsStructuredAndGetsAnIdAndATime() {
        Instant before = Instant.now();
        HttpFixture.Reply sent = sluice.post("/v1/events",
                "{\"specversion\": \"1.0\", \"type\": \"ping\", \"source\": \"/cli\"}");

        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        String id = sent.json().path("id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        ConsumerRecord<byte[], byte[]> record = recordAt(ServiceTopics.EVENTS, sent.json().path("offset").asLong());
        assertThat(record.key()).isNull();
        assertThat(Instant.parse(header(record, "ce_time"))).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(new CloudEventCodec().read(record).data()).isEqualTo(EventData.none());
    }

    @Test
    void aBinaryEventKeepsItsDataAndPercentDecodedExtensions() {
        HttpFixture.Reply created = sluice.post("/v1/topics", "{\"name\": \"orders\"}");
        assertThat(created.status()).isEqualTo(201);

        HttpFixture.Reply sent = binary("/v1/events?topic=orders", "{\"amount\": 5}",
                "Content-Type", "application/json", "ce-specversion", "1.0", "ce-id", "b-1",
                "ce-type", "shop.order.created", "ce-source", "/shop", "CE-Tenant", "acme%20corp%C3%A9");

        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        assertThat(sent.json().path("topic").asText()).isEqualTo("orders");
        ConsumerRecord<byte[], byte[]> record = recordAt("orders", sent.json().path("offset").asLong());
        assertThat(header(record, "ce_id")).isEqualTo("b-1");
        assertThat(header(record, "ce_tenant")).isEqualTo("acme corpé");
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(header(record, "ce_time")).isNotNull();
        // JSON data is parsed once on the way in (so a malformed body is refused) and written back compact.
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":5}");
        Event event = new CloudEventCodec().read(record);
        assertThat(((EventData.Json) event.data()).node().path("amount").asInt()).isEqualTo(5);

        HttpFixture.Reply text = binary("/v1/events", "plain words", "Content-Type", "text/plain",
                "ce-type", "note", "ce-source", "/notes");
        assertThat(text.status()).as(text.text()).isEqualTo(202);
        ConsumerRecord<byte[], byte[]> note = recordAt(ServiceTopics.EVENTS, text.json().path("offset").asLong());
        assertThat(header(note, "ce_specversion")).isEqualTo("1.0");
        assertThat(new String(note.value(), StandardCharsets.UTF_8)).isEqualTo("plain words");
    }

    @Test
    void eventsWithoutTypeOrSourceOrOnUnknownTopicsAreRefused() {
        HttpFixture.Reply noType = sluice.post("/v1/events", "{\"specversion\": \"1.0\", \"source\": \"/x\"}"
                .getBytes(StandardCharsets.UTF_8), "application/cloudevents+json");
        assertThat(noType.status()).isEqualTo(400);
        assertThat(noType.errorCode()).isEqualTo("invalid_event");
        assertThat(noType.json().path("error").path("message").asText()).contains("'type'");

        HttpFixture.Reply noSource = binary("/v1/events", "", "ce-type", "t");
        assertThat(noSource.status()).isEqualTo(400);
        assertThat(noSource.json().path("error").path("message").asText()).contains("'source'", "ce-source");

        HttpFixture.Reply badEncoding = binary("/v1/events", "", "ce-type", "t", "ce-source", "/s",
                "ce-tenant", "50%");
        assertThat(badEncoding.status()).isEqualTo(400);
        assertThat(badEncoding.json().path("error").path("message").asText()).contains("ce-tenant");

        HttpFixture.Reply brokenJson = binary("/v1/events", "{oops", "Content-Type", "application/json",
                "ce-type", "t", "ce-source", "/s");
        assertThat(brokenJson.status()).isEqualTo(400);
        assertThat(brokenJson.json().path("error").path("message").asText()).contains("not JSON");

        HttpFixture.Reply notAnEvent = binary("/v1/events", "hello", "Content-Type", "text/plain");
        assertThat(notAnEvent.status()).isEqualTo(400);
        assertThat(notAnEvent.errorCode()).isEqualTo("invalid_event");

        HttpFixture.Reply unknownTopic = sluice.post("/v1/events?topic=nope",
                "{\"specversion\": \"1.0\", \"type\": \"t\", \"source\": \"/s\"}");
        assertThat(unknownTopic.status()).isEqualTo(404);
        assertThat(unknownTopic.errorCode()).isEqualTo("topic_not_found");

        // The API's default 1 MiB body limit, which the larger package limit of POST /v1/services does not lift.
        HttpFixture.Reply tooLarge = sluice.send(HttpRequest.newBuilder(URI.create(sluice.url() + "/v1/events"))
                .header("Content-Type", "text/plain").header("ce-type", "t").header("ce-source", "/s")
                .expectContinue(true).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])), true);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("too_large");
    }
}
