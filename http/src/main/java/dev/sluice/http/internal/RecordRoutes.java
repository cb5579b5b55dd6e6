package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/topics/{topic}/records} and {@code /tail}: produce a JSON batch durably, read a partition from an
 * offset, and follow new records as Server-Sent Events.
 */
final class RecordRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(RecordRoutes.class);
    static final int MAX_LIMIT = 10_000;
    /** How long a read waits for records it knows exist (below the end offset) before answering with fewer. */
    private static final Duration READ_BUDGET = Duration.ofSeconds(5);
    private static final long KEEPALIVE_NANOS = Duration.ofSeconds(15).toNanos();

    /** The REST API's produces share the in-flight bound of HTTP sources, under this name. */
    static final String LIMITER_KEY = "rest-api/produce";

    private final KafkaGateway kafka;
    private final InFlightLimiter limiter;

    RecordRoutes(KafkaGateway kafka, InFlightLimiter limiter) {
        this.kafka = kafka;
        this.limiter = limiter;
    }

    void register(Router router) {
        router.post("/v1/topics/:topic/records").handler(this::produce);
        router.get("/v1/topics/:topic/records").handler(this::read);
        router.get("/v1/topics/:topic/tail").handler(this::tail);
    }

    private void produce(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        String type = ctx.request().getHeader("Content-Type");
        if (type != null && !type.startsWith("application/json")) {
            throw new ApiError(415, "unsupported_media_type", "records are posted as application/json, got "
                    + type);
        }
        JsonNode body = Json.parse(ctx.body().buffer());
        JsonNode records = body.get("records");
        if (!body.isObject() || records == null || !records.isArray()) {
            throw ApiError.badRequest("the body must be {\"records\": [...]}");
        }
        if (records.isEmpty()) {
            throw ApiError.badRequest("'records' is empty");
        }
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            batch.add(RecordJson.toProducerRecord(topic, records.get(i), i));
        }
        long size = ctx.body().length();
        switch (limiter.tryAcquire(LIMITER_KEY, size)) {
            case SOURCE_FULL -> throw new ApiError(429, "too_many_requests",
                    "too many produced bytes in flight; retry later");
            case TOTAL_FULL -> throw new ApiError(503, "overloaded", "too many bytes in flight; retry later");
            case ACQUIRED -> { }
        }
        CompletableFuture<List<RecordMetadata>> sent = kafka.requireTopic(topic).thenCompose(partitions -> {
            for (int i = 0; i < batch.size(); i++) {
                Integer partition = batch.get(i).partition();
                if (partition != null && partition >= partitions) {
                    throw ApiError.badRequest("records[" + i + "].partition " + partition + " does not exist: '"
                            + topic + "' has " + partitions + " partitions");
                }
            }
            return send(batch);
        });
        sent.whenComplete((ignored, failure) -> limiter.release(LIMITER_KEY, size));
        Replies.when(ctx, sent, acks -> {
            ObjectNode reply = Json.object();
            ArrayNode offsets = reply.putArray("offsets");
            for (RecordMetadata metadata : acks) {
                offsets.addObject().put("partition", metadata.partition()).put("offset", metadata.offset());
            }
            Replies.json(ctx, 200, reply);
        });
    }

    /** Sends every record; completes when all are acknowledged (acks=all: durable), in the batch's order. */
    private CompletableFuture<List<RecordMetadata>> send(List<ProducerRecord<byte[], byte[]>> batch) {
        return kafka.send(batch).thenCompose(acks -> CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> acks.stream().map(CompletableFuture::join).toList()));
    }

    private void read(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        int partition = intParam(ctx, "partition", 0);
        long offset = longParam(ctx, "offset", 0);
        Long timestamp = timestampParam(ctx);
        int limit = intParam(ctx, "limit", 100);
        if (partition < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw ApiError.badRequest("partition must be at least 0 and limit between 1 and " + MAX_LIMIT);
        }
        Replies.when(ctx, kafka.requireTopic(topic).thenCompose(partitions -> {
            if (partition >= partitions) {
                throw ApiError.notFound("partition_not_found", "topic '" + topic + "' has " + partitions
                        + " partitions; there is no partition " + partition);
            }
            return kafka.blocking(() -> read(new TopicPartition(topic, partition), offset, timestamp, limit));
        }), body -> Replies.json(ctx, 200, body));
    }

    /**
     * {@code timestamp}: epoch milliseconds or RFC 3339; the read starts at the first record at or after it (the end
     * when there is none) instead of at {@code offset}.
     */
    private static Long timestampParam(RoutingContext ctx) {
        String value = ctx.request().getParam("timestamp");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.chars().allMatch(Character::isDigit) ? Long.parseLong(value)
                    : java.time.OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            throw ApiError.badRequest("'timestamp' must be epoch milliseconds or RFC 3339 (2026-01-31T12:00:00Z), "
                    + "got '" + value + "'");
        }
    }

    private ObjectNode read(TopicPartition tp, long from, Long timestamp, int limit) {
        KafkaConsumer<byte[], byte[]> consumer = kafka.borrowConsumer();
        try {
            consumer.assign(List.of(tp));
            long start = consumer.beginningOffsets(List.of(tp)).get(tp);
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long position = Math.max(from, start);
            if (timestamp != null) {
                var found = consumer.offsetsForTimes(java.util.Map.of(tp, timestamp)).get(tp);
                position = found == null ? end : Math.max(found.offset(), start);
            }
            ObjectNode body = Json.object();
            ArrayNode records = body.putArray("records");
            if (position < end) {
                consumer.seek(tp, position);
                long deadline = System.nanoTime() + READ_BUDGET.toNanos();
                while (records.size() < limit && position < end && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100)).records(tp)) {
                        if (records.size() >= limit) {
                            break;
                        }
                        records.add(RecordJson.toJson(record));
                        position = record.offset() + 1;
                    }
                }
            }
            body.put("nextOffset", position);
            return body;
        } finally {
            kafka.release(consumer);
        }
    }

    /** Server-Sent Events: one event per record, from the end (or beginning) of each partition, until closed. */
    private void tail(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        String partitionParam = ctx.request().getParam("partition");
        Integer only = partitionParam == null ? null : intParam(ctx, "partition", 0);
        String from = ctx.request().getParam("from", "end");
        if (!from.equals("end") && !from.equals("beginning")) {
            throw ApiError.badRequest("'from' must be end or beginning, got '" + from + "'");
        }
        Context context = Vertx.currentContext();
        Replies.when(ctx, kafka.requireTopic(topic), partitions -> {
            if (only != null && (only < 0 || only >= partitions)) {
                throw ApiError.notFound("partition_not_found", "topic '" + topic + "' has " + partitions
                        + " partitions; there is no partition " + only);
            }
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                if (only == null || only == p) {
                    assigned.add(new TopicPartition(topic, p));
                }
            }
            HttpServerResponse response = ctx.response().setChunked(true)
                    .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
            response.write(": tailing " + topic + "\n\n");
            AtomicBoolean closed = new AtomicBoolean();
            response.closeHandler(ignored -> closed.set(true));
            ctx.request().connection().closeHandler(ignored -> closed.set(true));
            kafka.blocking(() -> {
                follow(context, response, closed, assigned, from.equals("beginning"));
                return null;
            });
        });
    }

    private void follow(Context context, HttpServerResponse response, AtomicBoolean closed,
                        List<TopicPartition> partitions, boolean fromBeginning) {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.newConsumer()) {
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
            }
            long lastWrite = System.nanoTime();
            while (!closed.get()) {
                StringBuilder events = new StringBuilder();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    events.append("event: record\nid: ").append(record.partition()).append('-')
                            .append(record.offset()).append("\ndata: ")
                            .append(RecordJson.toJson(record).toString()).append("\n\n");
                }
                if (events.isEmpty() && System.nanoTime() - lastWrite > KEEPALIVE_NANOS) {
                    events.append(": keepalive\n\n");
                }
                if (!events.isEmpty()) {
                    String chunk = events.toString();
                    context.runOnContext(ignored -> {
                        if (!closed.get()) {
                            response.write(chunk);
                        }
                    });
                    lastWrite = System.nanoTime();
                    // A slow reader: wait for the socket to drain instead of buffering without bound.
                    while (response.writeQueueFull() && !closed.get()) {
                        Thread.sleep(10);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("tail of {} stopped: {}", partitions, e.toString());
            context.runOnContext(ignored -> response.reset());
        }
    }

    static int intParam(RoutingContext ctx, String name, int fallback) {
        String value = ctx.request().getParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("query parameter '" + name + "' must be an integer, got '" + value + "'");
        }
    }

    static long longParam(RoutingContext ctx, String name, long fallback) {
        String value = ctx.request().getParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("query parameter '" + name + "' must be an integer, got '" + value + "'");
        }
    }
}
