package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.control.ControlPlane;
import dev.sluice.control.api.TailRecord;
import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.PipelineCatalog;
import dev.sluice.pipelines.PipelineException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/clients}: the SDK clients the control plane has sessions with. And
 * {@code GET /v1/audiences/{service}/{topic}/{direction}/tail}: a live sample of the audience's records before and
 * after its pipelines, as Server-Sent Events, from wherever they run: the broker (it samples while a {@code tail/}
 * record in {@value PipelineCatalog#TOPIC} says someone watches, into {@value PipelineCatalog#TAIL_TOPIC}) and the
 * SDK clients (through the control plane). The tail record is renewed while the stream is open and deleted when it
 * closes, so nothing is sampled once nobody watches.
 */
final class ControlRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ControlRoutes.class);
    private static final long LEASE_MS = 60_000;
    private static final long RENEW_MS = 20_000;
    private static final long TAIL_RETENTION_MS = 10 * 60_000;

    private final KafkaGateway kafka;
    private final PipelineStore store;
    private final ControlPlane control;

    ControlRoutes(KafkaGateway kafka, PipelineStore store, ControlPlane control) {
        this.kafka = kafka;
        this.store = store;
        this.control = control;
    }

    void register(Router router) {
        router.get("/v1/audiences/:service/:topic/:direction/tail").handler(this::tail);
        router.get("/v1/clients").handler(this::clients);
    }

    /** The SDK clients connected to the control plane now, with their audiences. */
    private void clients(RoutingContext ctx) {
        ObjectNode body = Json.object();
        var list = body.putArray("clients");
        for (var client : control.clients()) {
            ObjectNode node = list.addObject()
                    .put("sessionId", client.getSessionId())
                    .put("service", client.getServiceName())
                    .put("library", client.getClientInfo().getLibrary())
                    .put("host", client.getClientInfo().getHost())
                    .put("connectedAt", java.time.Instant.ofEpochMilli(client.getConnectedAtMs()).toString())
                    .put("lastHeartbeat", java.time.Instant.ofEpochMilli(client.getLastHeartbeatMs()).toString());
            var audiences = node.putArray("audiences");
            client.getAudiencesList().forEach(a -> audiences.add(ControlPlane.audienceKey(a)));
        }
        Replies.json(ctx, 200, body);
    }

    private void tail(RoutingContext ctx) {
        AudienceSpec audience;
        try {
            audience = new AudienceSpec(ctx.pathParam("service"), ctx.pathParam("topic"),
                    ctx.pathParam("direction"), null, null).checked();
        } catch (PipelineException e) {
            throw new ApiError(400, "invalid_audience", e.getMessage());
        }
        int rate = RecordRoutes.intParam(ctx, "rate", 10);
        if (rate < 1 || rate > 1000) {
            throw ApiError.badRequest("'rate' must be 1 to 1000 samples a second, got " + rate);
        }
        String id = UUID.randomUUID().toString();
        Context context = Vertx.currentContext();
        Replies.when(ctx, kafka.blocking(() -> {
            kafka.ensureTopic(PipelineCatalog.TAIL_TOPIC, Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(TAIL_RETENTION_MS),
                    TopicConfig.SEGMENT_MS_CONFIG, Long.toString(TAIL_RETENTION_MS / 2)));
            lease(id, audience, rate);
            return null;
        }), ignored -> {
            HttpServerResponse response = ctx.response().setChunked(true)
                    .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
            response.write(": tailing " + audience.key() + "\n\n");
            AtomicBoolean closed = new AtomicBoolean();
            Runnable sdkTail = control.tail(audience.service(), audience.topic(),
                    AudienceSpec.PRODUCE.equals(audience.direction()), rate,
                    record -> context.runOnContext(v -> send(response, closed, sdkEvent(record))));
            long renew = ctx.vertx().setPeriodic(RENEW_MS, t -> kafka.blocking(() -> {
                lease(id, audience, rate);
                return null;
            }));
            Runnable close = () -> {
                if (closed.compareAndSet(false, true)) {
                    ctx.vertx().cancelTimer(renew);
                    sdkTail.run();
                    kafka.blocking(() -> {
                        store.change(PipelineCatalog.tailKey(id), catalog -> new PipelineStore.Write<Void>(null, null));
                        return null;
                    });
                }
            };
            response.closeHandler(v -> close.run());
            ctx.request().connection().closeHandler(v -> close.run());
            kafka.blocking(() -> {
                follow(context, response, closed, audience);
                return null;
            });
        });
    }

    private void lease(String id, AudienceSpec audience, int rate) {
        PipelineCatalog.TailSpec spec = new PipelineCatalog.TailSpec(audience.key(), rate,
                System.currentTimeMillis() + LEASE_MS);
        store.change(PipelineCatalog.tailKey(id), catalog -> new PipelineStore.Write<>(PipelineCatalog.json(spec),
                null));
    }

    /** Reads the broker's samples from the end of the tail topic, keeping the audience's. */
    private void follow(Context context, HttpServerResponse response, AtomicBoolean closed, AudienceSpec audience) {
        TopicPartition tp = new TopicPartition(PipelineCatalog.TAIL_TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.newConsumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            long lastWrite = System.nanoTime();
            while (!closed.get()) {
                StringBuilder events = new StringBuilder();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode sample = Json.parse(record.value());
                    if (covers(audience, sample.path("audience").asText())) {
                        events.append(brokerEvent(sample));
                    }
                }
                if (events.isEmpty() && System.nanoTime() - lastWrite > Duration.ofSeconds(15).toNanos()) {
                    events.append(": keepalive\n\n");
                }
                if (!events.isEmpty()) {
                    String chunk = events.toString();
                    context.runOnContext(v -> send(response, closed, chunk));
                    lastWrite = System.nanoTime();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("tail of {} stopped: {}", audience.key(), e.toString());
            context.runOnContext(v -> response.reset());
        }
    }

    /** A tail on {@code *} covers every service's chain on the topic in that direction. */
    private static boolean covers(AudienceSpec tailed, String sampledAudience) {
        if (sampledAudience.equals(tailed.key())) {
            return true;
        }
        return tailed.service().equals(AudienceSpec.ANY_SERVICE)
                && sampledAudience.endsWith("/" + tailed.topic() + "/" + tailed.direction());
    }

    private static void send(HttpServerResponse response, AtomicBoolean closed, String chunk) {
        if (!closed.get() && !response.writeQueueFull()) {
            response.write(chunk);
        }
    }

    private static String brokerEvent(JsonNode sample) {
        ObjectNode event = Json.object()
                .put("audience", sample.path("audience").asText())
                .put("where", "broker")
                .put("client", sample.path("client").asText())
                .put("topic", sample.path("topic").asText())
                .put("partition", sample.path("partition").asInt())
                .put("offset", sample.path("offset").asLong())
                .put("timestamp", sample.path("timestamp").asLong())
                .put("verdict", sample.path("verdict").asText());
        event.set("before", Json.valueOrText(Base64.getDecoder().decode(sample.path("before").asText())));
        event.set("after", Json.valueOrText(Base64.getDecoder().decode(sample.path("after").asText())));
        ObjectNode headers = event.putObject("headers");
        headers.set("before", sample.path("headersBefore").isObject() ? sample.get("headersBefore") : Json.object());
        headers.set("after", sample.path("headersAfter").isObject() ? sample.get("headersAfter") : Json.object());
        return "event: sample\ndata: " + event + "\n\n";
    }

    private static String sdkEvent(TailRecord record) {
        ObjectNode event = Json.object()
                .put("audience", ControlPlane.audienceKey(record.getAudience()))
                .put("where", "sdk")
                .put("client", record.getSessionId())
                .put("timestamp", record.getTimestampMs())
                .put("verdict", record.getVerdict());
        event.set("before", Json.valueOrText(record.getBefore().toByteArray()));
        event.set("after", Json.valueOrText(record.getAfter().toByteArray()));
        ObjectNode headers = event.putObject("headers");
        record.getHeadersBeforeMap().forEach(headers.putObject("before")::put);
        record.getHeadersAfterMap().forEach(headers.putObject("after")::put);
        return "event: sample\ndata: " + event + "\n\n";
    }
}
