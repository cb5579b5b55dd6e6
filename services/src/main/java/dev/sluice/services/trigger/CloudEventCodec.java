package dev.sluice.services.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents on Kafka (the CloudEvents Kafka protocol binding, through the io.cloudevents SDK), both ways.
 * <p>
 * Reading takes either mode:
 * <ul>
 *   <li><b>binary</b>: attributes in {@code ce_<name>} headers, {@code content-type} header as
 *       {@code datacontenttype}, the value as data;</li>
 *   <li><b>structured</b>: the value is the whole event as JSON, announced by
 *       {@code content-type: application/cloudevents+json}, or, without a content-type header, recognised as a JSON
 *       object with {@code specversion} (producers that cannot set headers).</li>
 * </ul>
 * Data declared as JSON ({@code application/json}, {@code text/json}, any {@code +json}; in structured mode also a
 * {@code data} member without {@code datacontenttype}) is parsed into {@link EventData.Json}, and data that does not
 * parse makes the event malformed: it was declared JSON, so a service reading it as JSON would fail on it anyway.
 * Other data stays {@link EventData.Bytes}. A record that is not a valid CloudEvent raises
 * {@link MalformedEventException} with a message fit for a dead-letter record.
 * <p>
 * Writing produces binary mode by default (the value stays the bare data, readable by consumers that know nothing of
 * CloudEvents); {@link #toStructuredRecord} writes structured JSON. Thread-safe.
 */
public final class CloudEventCodec {
    private static final String CE_PREFIX = "ce_";
    private static final String CONTENT_TYPE = "content-type";
    private static final String STRUCTURED_JSON = "application/cloudevents+json";

    private final ObjectMapper json;
    private final JsonFormat format = new JsonFormat();

    public CloudEventCodec() {
        this.json = new ObjectMapper().registerModule(JsonFormat.getCloudEventJacksonModule());
    }

    /** The event in a consumed record. */
    public Event read(ConsumerRecord<byte[], byte[]> record) {
        return read(record.headers(), record.value());
    }

    /** The event in a record's headers and value (the value may be {@code null}: no data). */
    public Event read(Headers headers, byte[] value) {
        String contentType = text(headers.lastHeader(CONTENT_TYPE));
        String mediaType = contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType != null && mediaType.startsWith("application/cloudevents-batch")) {
            throw new MalformedEventException("batched CloudEvents (content-type " + contentType
                    + ") are not supported; send one event per record");
        }
        if (mediaType != null && mediaType.startsWith("application/cloudevents")) {
            if (!mediaType.equals(STRUCTURED_JSON)) {
                throw new MalformedEventException("structured mode: unsupported event format '" + mediaType
                        + "' (only " + STRUCTURED_JSON + ")");
            }
            return readStructured(value);
        }
        if (headers.lastHeader(CE_PREFIX + "specversion") != null) {
            return readBinary(headers, value);
        }
        if (mediaType == null && value != null && looksLikeJsonObject(value)) {
            return readStructured(value);
        }
        throw new MalformedEventException("not a CloudEvent: no ce_specversion header (binary mode), no content-type "
                + STRUCTURED_JSON + (mediaType == null ? " and the value is not a JSON object (structured mode)"
                : " (structured mode; content-type is " + contentType + ")"));
    }

    private Event readBinary(Headers headers, byte[] value) {
        String specVersion = text(headers.lastHeader(CE_PREFIX + "specversion"));
        if (!"1.0".equals(specVersion) && !"0.3".equals(specVersion)) {
            throw new MalformedEventException("binary mode: unsupported specversion '" + specVersion
                    + "' (header ce_specversion; 1.0 or 0.3)");
        }
        // Checked here rather than left to the SDK, whose message does not say which header is missing.
        for (String required : new String[] {"id", "source", "type"}) {
            String header = text(headers.lastHeader(CE_PREFIX + required));
            if (header == null || header.isEmpty()) {
                throw new MalformedEventException("binary mode: missing required attribute '" + required
                        + "' (header ce_" + required + ")");
            }
        }
        CloudEvent event;
        try {
            event = KafkaMessageFactory.createReader(headers, value).toEvent();
        } catch (RuntimeException e) {
            throw new MalformedEventException("binary mode: " + e.getMessage(), e);
        }
        return fromCloudEvent(event, "binary mode");
    }

    private Event readStructured(byte[] value) {
        if (value == null || value.length == 0) {
            throw new MalformedEventException("structured mode: the record has no value");
        }
        JsonNode tree;
        try {
            tree = json.readTree(value);
        } catch (java.io.IOException e) {
            String detail = e instanceof JsonProcessingException processing ? processing.getOriginalMessage()
                    : e.getMessage();
            throw new MalformedEventException("structured mode: the value is not JSON: " + detail, e);
        }
        if (!tree.isObject()) {
            throw new MalformedEventException("structured mode: the value is JSON " + tree.getNodeType()
                    .toString().toLowerCase(Locale.ROOT) + ", not an object");
        }
        for (String required : new String[] {"specversion", "id", "source", "type"}) {
            JsonNode attribute = tree.get(required);
            if (attribute == null || attribute.isNull()) {
                throw new MalformedEventException("structured mode: missing required attribute '" + required + "'");
            }
            if (!attribute.isTextual() || attribute.asText().isEmpty()) {
                throw new MalformedEventException("structured mode: attribute '" + required
                        + "' must be a non-empty string, is " + attribute);
            }
        }
        String specVersion = tree.get("specversion").asText();
        if (!specVersion.equals("1.0") && !specVersion.equals("0.3")) {
            throw new MalformedEventException("structured mode: unsupported specversion '" + specVersion
                    + "' (1.0 or 0.3)");
        }
        CloudEvent event;
        try {
            event = json.treeToValue(tree, CloudEvent.class);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("structured mode: " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            throw new MalformedEventException("structured mode: " + e.getMessage(), e);
        }
        return fromCloudEvent(event, "structured mode");
    }

    /** A record in binary mode: {@code ce_} headers, {@code content-type}, the data as the value. */
    public ProducerRecord<byte[], byte[]> toBinaryRecord(String topic, byte[] key, Event event) {
        return KafkaMessageFactory.createWriter(topic, key).writeBinary(toCloudEvent(event));
    }

    /** A record in structured mode: {@code content-type: application/cloudevents+json}, the event as the value. */
    public ProducerRecord<byte[], byte[]> toStructuredRecord(String topic, byte[] key, Event event) {
        return KafkaMessageFactory.createWriter(topic, key).writeStructured(toCloudEvent(event), format);
    }

    /** The SDK's event for ours; JSON data without a content type is declared {@code application/json}. */
    public CloudEvent toCloudEvent(Event event) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(event.id())
                .withType(event.type())
                .withSource(uri(event.source(), "source"));
        if (event.subject() != null) {
            builder.withSubject(event.subject());
        }
        if (event.time() != null) {
            builder.withTime(event.time().atOffset(ZoneOffset.UTC));
        }
        if (event.dataSchema() != null) {
            builder.withDataSchema(uri(event.dataSchema(), "dataschema"));
        }
        event.extensions().forEach(builder::withExtension);
        switch (event.data()) {
            case EventData.Json data -> builder.withData(
                    event.dataContentType() == null ? "application/json" : event.dataContentType(),
                    JsonCloudEventData.wrap(data.node()));
            case EventData.Bytes data -> builder.withData(event.dataContentType(), data.bytes());
            case EventData.None none -> {
                if (event.dataContentType() != null) {
                    builder.withDataContentType(event.dataContentType());
                }
            }
        }
        return builder.build();
    }

    /** Our event for the SDK's. */
    public Event fromCloudEvent(CloudEvent event) {
        return fromCloudEvent(event, "event");
    }

    private Event fromCloudEvent(CloudEvent event, String mode) {
        Map<String, String> extensions = new LinkedHashMap<>();
        for (String name : event.getExtensionNames()) {
            extensions.put(name, extensionText(event.getExtension(name)));
        }
        OffsetDateTime time = event.getTime();
        return new Event(event.getId(), event.getType(), event.getSource().toString(), event.getSubject(),
                time == null ? null : time.toInstant(), event.getDataContentType(),
                event.getDataSchema() == null ? null : event.getDataSchema().toString(), extensions,
                data(event, mode));
    }

    private EventData data(CloudEvent event, String mode) {
        CloudEventData data = event.getData();
        if (data == null) {
            return EventData.none();
        }
        if (data instanceof JsonCloudEventData jsonData) {
            return new EventData.Json(jsonData.getNode());
        }
        byte[] bytes = data.toBytes();
        if (!isJson(event.getDataContentType())) {
            return new EventData.Bytes(bytes);
        }
        if (bytes.length == 0) {
            return EventData.none();
        }
        try {
            return new EventData.Json(json.readTree(bytes));
        } catch (java.io.IOException e) {
            String detail = e instanceof JsonProcessingException processing ? processing.getOriginalMessage()
                    : e.getMessage();
            throw new MalformedEventException(mode + ": data is not JSON though datacontenttype is '"
                    + event.getDataContentType() + "': " + detail, e);
        }
    }

    /** {@code application/json}, {@code text/json} and any {@code +json} type, parameters ignored. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.equals("text/json") || media.endsWith("+json");
    }

    /** Extension values as their CloudEvents canonical strings, the form binary mode carries them in. */
    private static String extensionText(Object value) {
        return switch (value) {
            case null -> null;
            case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
            case OffsetDateTime time -> time.toInstant().toString();
            default -> value.toString();
        };
    }

    private static URI uri(String text, String attribute) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + attribute + "' is not a URI reference: " + e.getMessage(), e);
        }
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static boolean looksLikeJsonObject(byte[] value) {
        for (byte b : value) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b == '{';
            }
        }
        return false;
    }
}
