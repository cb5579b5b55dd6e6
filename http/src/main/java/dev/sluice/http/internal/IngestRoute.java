package dev.sluice.http.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.mapping.ColumnSpec;
import dev.sluice.mapping.Mapping;
import dev.sluice.mapping.MappingException;
import dev.sluice.mapping.MappingInput;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code POST /ingest/{source}/{secret}}: writes what is posted into the source's topic and answers 200 once it is
 * durable (or 202 once accepted with {@code wait=false}). An unknown source, a disabled one and a wrong secret all
 * get the same 404, so the endpoint tells a stranger nothing.
 */
final class IngestRoute {
    static final String HEADER_SOURCE = "sluice.source";
    static final String HEADER_RECEIVED_AT = "sluice.received-at";
    static final String HEADER_CONTENT_TYPE = "sluice.content-type";
    static final String HEADER_CLIENT_IP = "sluice.client-ip";

    /** The client id records of HTTP sources are produced with, by either path; produce pipelines select on it. */
    static final String CLIENT_ID = "sluice-http";

    private final KafkaGateway kafka;
    private final SourceStore sources;
    private final InFlightLimiter limiter;
    /** Appends to the broker of the same process; null: every record goes through the producer. */
    private final LocalAppender local;
    /** Compiled mappings by source name, recompiled when the source's mapping changes. */
    private final Map<String, Compiled> mappings = new ConcurrentHashMap<>();

    IngestRoute(KafkaGateway kafka, SourceStore sources, InFlightLimiter limiter, KafkaBroker localBroker) {
        this.kafka = kafka;
        this.sources = sources;
        this.limiter = limiter;
        this.local = localBroker == null ? null : new LocalAppender(localBroker, CLIENT_ID);
    }

    void register(Router router) {
        router.post("/ingest/:source/:secret").handler(this::ingest);
        router.route(HttpMethod.OPTIONS, "/ingest/:source/:secret").handler(this::preflight);
    }

    private Source find(RoutingContext ctx) {
        Source source = sources.get(ctx.pathParam("source")).orElse(null);
        byte[] given = ctx.pathParam("secret").getBytes(StandardCharsets.UTF_8);
        // Compare even when there is no such source, so timing does not tell which part was wrong.
        byte[] expected = (source == null ? Source.newSecret() : source.secret()).getBytes(StandardCharsets.UTF_8);
        boolean secretMatches = MessageDigest.isEqual(given, expected);
        if (source == null || !source.enabled() || !secretMatches) {
            throw ApiError.notFound("source_not_found", "no such source");
        }
        return source;
    }

    private void preflight(RoutingContext ctx) {
        Source source = find(ctx);
        String origin = ctx.request().getHeader("Origin");
        if (!source.allowsOrigin(origin)) {
            throw new ApiError(403, "origin_not_allowed", "origin '" + origin + "' may not post to this source");
        }
        String requested = ctx.request().getHeader("Access-Control-Request-Headers");
        ctx.response().putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin")
                .putHeader("Access-Control-Allow-Methods", "POST, OPTIONS")
                .putHeader("Access-Control-Allow-Headers", requested == null ? "Content-Type" : requested)
                .putHeader("Access-Control-Max-Age", "600");
        Replies.noContent(ctx);
    }

    private void ingest(RoutingContext ctx) {
        long receivedAt = System.currentTimeMillis();
        Source source = find(ctx);
        String origin = ctx.request().getHeader("Origin");
        if (source.allowsOrigin(origin)) {
            ctx.response().putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin");
        }
        Buffer body = ctx.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        String contentType = ctx.request().getHeader("Content-Type");
        boolean batch = Boolean.parseBoolean(ctx.request().getParam("batch", "false"));
        boolean wait = Boolean.parseBoolean(ctx.request().getParam("wait", "true"));
        String media = mediaType(contentType);
        List<byte[]> values = values(bytes, media, batch);
        Mapping mapping = mapping(source);
        if (mapping != null) {
            values = map(mapping, values, media, ctx, receivedAt);
        }

        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_SOURCE, source.name().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_RECEIVED_AT, Long.toString(receivedAt).getBytes(StandardCharsets.UTF_8));
        if (contentType != null) {
            headers.add(HEADER_CONTENT_TYPE, contentType.getBytes(StandardCharsets.UTF_8));
        }
        headers.add(HEADER_CLIENT_IP, ctx.request().remoteAddress().hostAddress().getBytes(StandardCharsets.UTF_8));
        for (String name : source.headers()) {
            String value = ctx.request().getHeader(name);
            if (value != null) {
                headers.add("http." + name.toLowerCase(Locale.ROOT), value.getBytes(StandardCharsets.UTF_8));
            }
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(values.size());
        for (byte[] value : values) {
            records.add(new ProducerRecord<>(source.topic(), null, receivedAt, null, value, headers));
        }

        long size = bytes.length;
        switch (limiter.tryAcquire(source.name(), size)) {
            case SOURCE_FULL -> throw new ApiError(429, "too_many_requests", "source '" + source.name()
                    + "' has too many bytes in flight; retry later");
            case TOTAL_FULL -> throw new ApiError(503, "overloaded", "too many bytes in flight; retry later");
            case ACQUIRED -> { }
        }
        // The source's topic was created with the source; one deleted since is an error, not a silent re-creation.
        CompletableFuture<Integer> topic = kafka.requireTopic(source.topic()).handle((partitions, failure) -> {
            if (failure != null) {
                throw missingTopic(source, failure);
            }
            return partitions;
        });
        ObjectNode reply = Json.object().put("records", records.size()).put("durable", wait);
        if (wait && local != null) {
            // In the broker's process: appended directly, with the other requests of this turn, and answered once
            // durable (as acks=all).
            CompletableFuture<Void> durable = topic.thenCompose(partitions -> local.append(source.topic(),
                    partitions, records)).exceptionally(failure -> {
                        throw missingTopic(source, failure);
                    });
            durable.whenComplete((ignored, failure) -> limiter.release(source.name(), size));
            Replies.when(ctx, durable, ignored -> Replies.json(ctx, 200, reply));
            return;
        }
        CompletableFuture<List<CompletableFuture<RecordMetadata>>> accepted =
                topic.thenCompose(ignored -> kafka.send(records));
        CompletableFuture<Void> durable = accepted.thenCompose(acks ->
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));
        durable.whenComplete((ignored, failure) -> limiter.release(source.name(), size));
        if (wait) {
            Replies.when(ctx, durable, ignored -> Replies.json(ctx, 200, reply));
        } else {
            Replies.when(ctx, accepted, ignored -> Replies.json(ctx, 202, reply));
        }
    }

    /** A topic deleted since its source was created is the server's problem (503), not the caller's (404). */
    private static ApiError missingTopic(Source source, Throwable failure) {
        ApiError error = ApiError.from(failure);
        return error.status() == 404 ? new ApiError(503, "source_topic_missing", "the topic '" + source.topic()
                + "' of this source does not exist") : error;
    }

    private Mapping mapping(Source source) {
        if (source.mapping() == null) {
            return null;
        }
        Compiled compiled = mappings.get(source.name());
        if (compiled == null || !compiled.specs().equals(source.mapping())) {
            compiled = new Compiled(source.mapping(), Mapping.compile(source.mapping()));
            mappings.put(source.name(), compiled);
        }
        return compiled.mapping();
    }

    private record Compiled(List<ColumnSpec> specs, Mapping mapping) {
    }

    /** Each value as the JSON object the source's mapping makes of it. */
    private static List<byte[]> map(Mapping mapping, List<byte[]> values, String media, RoutingContext ctx,
                                    long receivedAt) {
        boolean json = isJson(media);
        boolean form = media != null && media.equals("application/x-www-form-urlencoded");
        if (mapping.needsBody() && !json && !form) {
            throw new ApiError(415, "unsupported_media_type", "this source's mapping reads the body, which must be "
                    + "JSON, NDJSON or a form; got " + (media == null ? "no content type" : media));
        }
        Map<String, String> headers = new HashMap<>();
        ctx.request().headers().forEach(header -> headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT),
                header.getValue()));
        String clientIp = ctx.request().remoteAddress().hostAddress();
        List<byte[]> mapped = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            JsonNode body = json || form ? Json.parse(values.get(i)) : null;
            try {
                mapped.add(Json.bytes(mapping.apply(MappingInput.request(body, headers, receivedAt, clientIp))));
            } catch (MappingException e) {
                throw ApiError.badRequest((values.size() > 1 ? "record " + (i + 1) + ": " : "") + "mapping "
                        + e.getMessage());
            }
        }
        return mapped;
    }

    private static boolean isJson(String media) {
        return media != null && (media.equals("application/json") || media.endsWith("+json")
                || media.equals("application/x-ndjson") || media.equals("application/jsonl"));
    }

    /** The media type without parameters, lower case; null when absent. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** The record values the body makes: one, or one per element or line with {@code batch=true}. */
    static List<byte[]> values(byte[] body, String mediaType, boolean batch) {
        if (mediaType != null && (mediaType.equals("application/x-ndjson") || mediaType.equals("application/jsonl"))) {
            return ndjson(body);
        }
        if (mediaType != null && (mediaType.equals("application/json") || mediaType.endsWith("+json"))) {
            if (body.length == 0) {
                throw ApiError.badRequest("the body is empty; a JSON object was expected");
            }
            if (!batch) {
                requireObject(body);
                return List.of(body);
            }
            int first = firstNonSpace(body);
            if (first >= 0 && body[first] == '[') {
                JsonNode array = Json.parse(body);
                List<byte[]> values = new ArrayList<>(array.size());
                for (JsonNode element : array) {
                    values.add(Json.bytes(element));
                }
                if (values.isEmpty()) {
                    throw ApiError.badRequest("the batch is an empty array");
                }
                return values;
            }
            return ndjson(body);
        }
        if (mediaType != null && mediaType.equals("application/x-www-form-urlencoded")) {
            return List.of(Json.bytes(form(body)));
        }
        // Text and anything else (binary) are stored as they came.
        return List.of(body);
    }

    private static void requireObject(byte[] body) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                throw ApiError.badRequest("the body is a JSON array; post it with ?batch=true to write one record "
                        + "per element");
            }
            if (first != JsonToken.START_OBJECT) {
                throw ApiError.badRequest("the body must be a JSON object, got " + first);
            }
            parser.skipChildren();
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw ApiError.badRequest("unexpected " + trailing + " after the JSON object at line "
                        + parser.currentLocation().getLineNr() + ", column "
                        + parser.currentLocation().getColumnNr() + "; post NDJSON with ?batch=true");
            }
        } catch (JsonProcessingException e) {
            throw Json.syntaxError(e);
        } catch (IOException e) {
            throw ApiError.badRequest("unreadable JSON: " + e.getMessage());
        }
    }

    private static List<byte[]> ndjson(byte[] body) {
        List<byte[]> values = new ArrayList<>();
        int line = 1;
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                byte[] value = java.util.Arrays.copyOfRange(body, start, end);
                if (firstNonSpace(value) >= 0) {
                    try {
                        Json.parse(value);
                    } catch (ApiError e) {
                        throw ApiError.badRequest("line " + line + ": " + e.getMessage());
                    }
                    values.add(value);
                }
                start = i + 1;
                line++;
            }
        }
        if (values.isEmpty()) {
            throw ApiError.badRequest("the batch has no records");
        }
        return values;
    }

    private static int firstNonSpace(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r' && bytes[i] != '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A form as a JSON object; a field given more than once becomes an array. */
    private static ObjectNode form(byte[] body) {
        ObjectNode fields = Json.object();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return fields;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("malformed form field '" + pair + "': " + e.getMessage());
            }
            JsonNode existing = fields.get(name);
            if (existing == null) {
                fields.put(name, value);
            } else if (existing.isArray()) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) existing).add(value);
            } else {
                fields.putArray(name).add(existing.asText()).add(value);
            }
        }
        return fields;
    }
}
