package dev.sluice.services.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CloudEventCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CloudEventCodec codec = new CloudEventCodec();

    static final Event ORDER = Event.of("e-1", "shop.order.created", "/shop/orders",
                    new EventData.Json(JSON.createObjectNode().put("amount", 1500).put("currency", "EUR")))
            .withSubject("order-42")
            .withTime(Instant.parse("2026-11-22T08:00:00.123Z"))
            .withExtension("tenant", "acme")
            .withExtension("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    static final Event FRAME = Event.of("e-2", "camera.frame", "/cams/7",
                    new EventData.Bytes(new byte[] {(byte) 0xff, (byte) 0xd8, 0, 1}))
            .withDataContentType("image/jpeg");

    static final Event PING = Event.of("e-3", "ping", "/probe", EventData.none());

    static Stream<Event> events() {
        return Stream.of(ORDER, FRAME, PING);
    }

    @ParameterizedTest
    @MethodSource("events")
    void binaryRoundTrip(Event event) {
        ProducerRecord<byte[], byte[]> produced = codec.toBinaryRecord("orders", "k".getBytes(), event);

        assertThat(header(produced, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(produced, "ce_type")).isEqualTo(event.type());
        assertThat(header(produced, "ce_id")).isEqualTo(event.id());
        Event read = codec.read(consumed(produced));
        assertThat(read).isEqualTo(expectedAfterRoundTrip(event));
    }

    @ParameterizedTest
    @MethodSource("events")
    void structuredRoundTrip(Event event) {
        ProducerRecord<byte[], byte[]> produced = codec.toStructuredRecord("orders", null, event);

        assertThat(header(produced, "content-type")).startsWith("application/cloudevents+json");
        assertThat(produced.headers().lastHeader("ce_type")).isNull();
        assertThat(codec.read(consumed(produced))).isEqualTo(expectedAfterRoundTrip(event));
    }

    @Test
    void binaryDataIsTheBareValue() {
        ProducerRecord<byte[], byte[]> produced = codec.toBinaryRecord("orders", null, ORDER);

        assertThat(new String(produced.value(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":1500,\"currency\":\"EUR\"}");
        assertThat(header(produced, "content-type")).isEqualTo("application/json");
        assertThat(header(produced, "ce_tenant")).isEqualTo("acme");
        assertThat(header(produced, "ce_time")).isEqualTo("2026-11-22T08:00:00.123Z");
    }

    @Test
    void structuredJsonWithoutContentTypeHeaderIsRecognised() {
        String value = """
                {"specversion": "1.0", "id": "x", "source": "/s", "type": "t", "datacontenttype": "application/json",
                 "data": {"a": [1, 2]}, "priority": 3, "urgent": true}
                """;
        Event read = codec.read(new RecordHeaders(), value.getBytes(StandardCharsets.UTF_8));

        assertThat(read.type()).isEqualTo("t");
        assertThat(read.data()).isInstanceOf(EventData.Json.class);
        assertThat(((EventData.Json) read.data()).node().get("a").get(1).asInt()).isEqualTo(2);
        assertThat(read.extensions()).containsEntry("priority", "3").containsEntry("urgent", "true");
    }

    @Test
    void binaryModeReadsHeadersWrittenByHand() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes("42"));
        headers.add("ce_source", bytes("/legacy"));
        headers.add("ce_type", bytes("legacy.thing"));
        headers.add("ce_shard", bytes("7"));
        headers.add("content-type", bytes("text/plain; charset=utf-8"));

        Event read = codec.read(headers, bytes("hello"));

        assertThat(read.attribute("shard")).isEqualTo("7");
        assertThat(read.dataContentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(read.data()).isEqualTo(new EventData.Bytes(bytes("hello")));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(binary("1.0", null, "/s", "t"), "{}",
                        "binary mode: missing required attribute 'id' (header ce_id)"),
                Arguments.of(binary("1.0", "1", null, "t"), "{}",
                        "binary mode: missing required attribute 'source' (header ce_source)"),
                Arguments.of(binary("2.0", "1", "/s", "t"), "{}",
                        "binary mode: unsupported specversion '2.0' (header ce_specversion; 1.0 or 0.3)"),
                Arguments.of(binary("1.0", "1", "/s", "t", "application/json"), "{not json",
                        "binary mode: data is not JSON though datacontenttype is 'application/json': "),
                Arguments.of(structured(), "{\"specversion\": \"1.0\", \"id\": \"1\"",
                        "structured mode: the value is not JSON: "),
                Arguments.of(structured(), "[1, 2]", "structured mode: the value is JSON array, not an object"),
                Arguments.of(structured(), "{\"specversion\": \"1.0\", \"id\": \"1\", \"source\": \"/s\"}",
                        "structured mode: missing required attribute 'type'"),
                Arguments.of(structured(), "{\"specversion\": \"9\", \"id\": \"1\", \"source\": \"/s\", \"type\": \"t\"}",
                        "structured mode: unsupported specversion '9' (1.0 or 0.3)"),
                Arguments.of(structured(), "{\"specversion\": \"1.0\", \"id\": 1, \"source\": \"/s\", \"type\": \"t\"}",
                        "structured mode: attribute 'id' must be a non-empty string, is 1"),
                Arguments.of(new RecordHeaders(), "{\"id\": \"1\", \"source\": \"/s\", \"type\": \"t\"}",
                        "structured mode: missing required attribute 'specversion'"),
                Arguments.of(new RecordHeaders(), "plain text",
                        "not a CloudEvent: no ce_specversion header (binary mode), no content-type"
                                + " application/cloudevents+json and the value is not a JSON object"),
                Arguments.of(headers("content-type", "application/cloudevents+avro"), "x",
                        "structured mode: unsupported event format 'application/cloudevents+avro'"),
                Arguments.of(headers("content-type", "application/cloudevents-batch+json"), "[]",
                        "batched CloudEvents (content-type application/cloudevents-batch+json) are not supported"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("malformed")
    void malformedEventsAreRefusedPrecisely(RecordHeaders headers, String value, String message) {
        assertThatThrownBy(() -> codec.read(headers, bytes(value)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith(message);
    }

    /** JSON data gains its default content type on the way out; everything else comes back as it went. */
    private static Event expectedAfterRoundTrip(Event event) {
        return event.data() instanceof EventData.Json && event.dataContentType() == null
                ? event.withDataContentType("application/json") : event;
    }

    private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> produced) {
        return new ConsumerRecord<>(produced.topic(), 0, 17L, 1_700_000_000_000L, TimestampType.CREATE_TIME,
                produced.key() == null ? -1 : produced.key().length,
                produced.value() == null ? -1 : produced.value().length, produced.key(), produced.value(),
                produced.headers(), Optional.empty());
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static RecordHeaders binary(String specVersion, String id, String source, String type) {
        return binary(specVersion, id, source, type, null);
    }

    private static RecordHeaders binary(String specVersion, String id, String source, String type,
                                        String contentType) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes(specVersion));
        if (id != null) {
            headers.add("ce_id", bytes(id));
        }
        if (source != null) {
            headers.add("ce_source", bytes(source));
        }
        headers.add("ce_type", bytes(type));
        if (contentType != null) {
            headers.add("content-type", bytes(contentType));
        }
        return headers;
    }

    private static RecordHeaders structured() {
        return headers("content-type", "application/cloudevents+json; charset=utf-8");
    }

    private static RecordHeaders headers(String name, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(name, bytes(value));
        return headers;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
