package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.services.ServiceTopics;
import dev.sluice.services.trigger.CloudEventCodec;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.MalformedEventException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code POST /v1/events}: one CloudEvent over HTTP (the CloudEvents HTTP binding), in structured mode (the event as
 * JSON: {@code application/cloudevents+json}, or {@code application/json} with {@code specversion}) or binary mode
 * ({@code ce-*} headers, the body as the data with its {@code Content-Type}), written to a topic in Kafka binary
 * mode, where the services' router reads it.
 *
 * <p>Lenient where the sender cannot go wrong: a missing {@code id} becomes a random UUID, a missing {@code time}
 * now and a missing {@code specversion} 1.0. A missing {@code type} or {@code source} is a 400 naming it.
 */
final class EventRoutes {
    private static final String STRUCTURED = "application/cloudevents";
    private static final String HTTP_PREFIX = "ce-";
    private static final String KAFKA_PREFIX = "ce_";

    private final KafkaGateway kafka;
    private final ServiceStore services;
    private final Clock clock;
    private final CloudEventCodec codec = new CloudEventCodec();

    EventRoutes(KafkaGateway kafka, ServiceStore services, Clock clock) {
        this.kafka = kafka;
        this.services = services;
        this.clock = clock;
    }

    void register(Router router) {
        router.post("/v1/events").handler(this::publish);
    }

    private void publish(RoutingContext ctx) {
        String topic = ctx.request().getParam("topic", ServiceTopics.EVENTS);
        Event event = read(ctx);
        byte[] key = event.subject() == null ? null : event.subject().getBytes(StandardCharsets.UTF_8);
        // The default topic is made on first use; any other must exist.
        CompletableFuture<?> exists = topic.equals(ServiceTopics.EVENTS) ? services.ensureEventsTopic()
                : kafka.requireTopic(topic);
        Replies.when(ctx, exists.thenCompose(ignored -> kafka.send(List.of(codec.toBinaryRecord(topic, key, event))))
                        .thenCompose(List::getFirst),
                metadata -> Replies.json(ctx, 202, Json.object().put("id", event.id()).put("topic", topic)
                        .put("partition", metadata.partition()).put("offset", metadata.offset())));
    }

    private Event read(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        String media = contentType == null ? null
                : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        Buffer body = ctx.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        try {
            if (media != null && media.startsWith(STRUCTURED)) {
                return structured(contentType, Json.parse(bytes.length == 0 ? null : body));
            }
            if (ctx.request().headers().names().stream().anyMatch(EventRoutes::isAttributeHeader)) {
                return binary(ctx, contentType, bytes);
            }
            if (bytes.length > 0 && (media == null || media.equals("application/json"))) {
                JsonNode tree = Json.parse(body);
                if (tree.has("specversion")) {
                    return structured("application/cloudevents+json", tree);
                }
            }
        } catch (MalformedEventException e) {
            throw invalid(e.getMessage());
        }
        throw invalid("not a CloudEvent: send it in structured mode (the event as JSON, Content-Type "
                + "application/cloudevents+json) or in binary mode (ce-type, ce-source and the other attributes as "
                + "ce-* headers, the data as the body)");
    }

    private Event structured(String contentType, JsonNode tree) {
        if (!(tree instanceof ObjectNode event)) {
            throw invalid("structured mode: the body is JSON " + tree.getNodeType().toString().toLowerCase(Locale.ROOT)
                    + ", not an object");
        }
        defaultTo(event, "specversion", "1.0");
        defaultTo(event, "id", UUID.randomUUID().toString());
        defaultTo(event, "time", clock.instant().toString());
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", contentType.getBytes(StandardCharsets.UTF_8));
        return codec.read(headers, Json.bytes(event));
    }

    private static void defaultTo(ObjectNode event, String attribute, String value) {
        if (event.path(attribute).isMissingNode() || event.get(attribute).isNull()) {
            event.put(attribute, value);
        }
    }

    /** Headers {@code ce-<name>} (percent-decoded, as the HTTP binding says) become Kafka's {@code ce_<name>}. */
    private Event binary(RoutingContext ctx, String contentType, byte[] body) {
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> header : ctx.request().headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (isAttributeHeader(name)) {
                headers.add(KAFKA_PREFIX + name.substring(HTTP_PREFIX.length()),
                        percentDecoded(name, header.getValue()).getBytes(StandardCharsets.UTF_8));
            }
        }
        for (String required : new String[] {"type", "source"}) {
            if (headers.lastHeader(KAFKA_PREFIX + required) == null) {
                throw invalid("binary mode: missing required attribute '" + required + "' (header ce-" + required
                        + ")");
            }
        }
        defaultTo(headers, "specversion", "1.0");
        defaultTo(headers, "id", UUID.randomUUID().toString());
        defaultTo(headers, "time", clock.instant().toString());
        if (contentType != null) {
            headers.add("content-type", contentType.getBytes(StandardCharsets.UTF_8));
        }
        return codec.read(headers, body.length == 0 ? null : body);
    }

    private static void defaultTo(RecordHeaders headers, String attribute, String value) {
        if (headers.lastHeader(KAFKA_PREFIX + attribute) == null) {
            headers.add(KAFKA_PREFIX + attribute, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static boolean isAttributeHeader(String name) {
        return name.length() > HTTP_PREFIX.length() && name.regionMatches(true, 0, HTTP_PREFIX, 0,
                HTTP_PREFIX.length());
    }

    /** {@code %XX} sequences to the UTF-8 bytes they stand for; everything else as it is. */
    static String percentDecoded(String header, String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= value.length() || !HexFormat.isHexDigit(value.charAt(i + 1))
                    || !HexFormat.isHexDigit(value.charAt(i + 2))) {
                throw invalid("header " + header + ": '%' must start a percent-encoded byte (%XX)");
            }
            bytes.write(HexFormat.fromHexDigits(value, i + 1, i + 3));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw invalid("header " + header + ": the percent-encoded bytes are not UTF-8");
        }
    }

    private static ApiError invalid(String message) {
        return new ApiError(400, "invalid_event", message);
    }
}
