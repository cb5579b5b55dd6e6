package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.mapping.ColumnSpec;
import dev.sluice.sinks.Conditions;
import dev.sluice.sinks.SinkSpec;
import dev.sluice.sinks.TargetSpec;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code /v1/sinks}: create, list, describe (with the status the engine running the sink last published), change,
 * pause, resume and delete table sinks. Definitions go to {@code _sluice_sinks}, which the sink engines follow;
 * nothing here calls an engine.
 */
final class SinkRoutes {
    private static final String[] SHORT_STATUS = {"state", "rowsImported", "lag", "lastError", "reportedAt"};

    private final KafkaGateway kafka;
    private final SinkStore store;

    SinkRoutes(KafkaGateway kafka, SinkStore store) {
        this.kafka = kafka;
        this.store = store;
    }

    void register(Router router) {
        router.get("/v1/sinks").handler(this::list);
        router.post("/v1/sinks").handler(this::create);
        router.get("/v1/sinks/:sink").handler(ctx -> Replies.json(ctx, 200, render(find(ctx), true)));
        router.patch("/v1/sinks/:sink").handler(this::change);
        router.delete("/v1/sinks/:sink").handler(ctx -> Replies.when(ctx, kafka.blocking(() -> {
            store.delete(ctx.pathParam("sink"));
            return null;
        }), ignored -> Replies.noContent(ctx)));
        router.post("/v1/sinks/:sink/pause").handler(ctx -> update(ctx, spec -> spec.withPaused(true)));
        router.post("/v1/sinks/:sink/resume").handler(ctx -> update(ctx, spec -> spec.withPaused(false)));
    }

    /**
     * The spec's fields with the target's secrets masked, {@code paused} always present, and {@code status}: full,
     * short (for lists) or null.
     */
    private ObjectNode render(SinkSpec spec, boolean full) {
        ObjectNode node = Json.MAPPER.valueToTree(spec.redacted());
        node.put("paused", spec.pausedNow());
        ObjectNode status = store.status(spec.name()).orElse(null);
        if (status == null) {
            node.putNull("status");
        } else if (full) {
            node.set("status", status);
        } else {
            ObjectNode brief = node.putObject("status");
            for (String field : SHORT_STATUS) {
                brief.set(field, status.path(field).isMissingNode() ? null : status.get(field));
            }
        }
        return node;
    }

    private SinkSpec find(RoutingContext ctx) {
        String name = ctx.pathParam("sink");
        return store.get(name).orElseThrow(() -> SinkStore.notFound(name));
    }

    private void list(RoutingContext ctx) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("sinks");
        store.all().stream().map(SinkStore.Entry::spec).sorted(Comparator.comparing(SinkSpec::name))
                .forEach(spec -> list.add(render(spec, false)));
        Replies.json(ctx, 200, body);
    }

    private void create(RoutingContext ctx) {
        SinkSpec spec = Json.parse(ctx.body().buffer(), SinkSpec.class);
        SinkStore.check(spec);
        Replies.when(ctx, kafka.blocking(() -> store.create(spec)),
                created -> Replies.json(ctx, 201, render(created, true)));
    }

    /**
     * A change: an absent field keeps what is there. The name cannot change. A target whose password (or a
     * password-like URL parameter) is the mask {@value TargetSpec#MASK} keeps the stored secret there, so a client
     * may send back the whole target it read. The engine applies any change by
     * restarting the sink's writer (see the OpenAPI document for what that means for each field).
     */
    record SinkChangeBody(List<String> topics, List<ColumnSpec> mapping, TargetSpec target, Conditions conditions,
                          String compression, Boolean paused) {
    }

    private void change(RoutingContext ctx) {
        JsonNode tree = Json.parse(ctx.body().buffer());
        find(ctx);
        SinkChangeBody request;
        try {
            request = Json.MAPPER.treeToValue(tree, SinkChangeBody.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiError(400, "invalid_sink", e.getOriginalMessage());
        }
        update(ctx, spec -> new SinkSpec(spec.name(),
                request.topics() != null ? request.topics() : spec.topics(),
                request.mapping() != null ? request.mapping() : spec.mapping(),
                request.target() != null ? request.target().keepingSecretsOf(spec.target()) : spec.target(),
                tree.has("conditions") ? request.conditions() : spec.conditions(),
                tree.has("compression") ? request.compression() : spec.compression(),
                request.paused() != null ? request.paused() : spec.paused()));
    }

    private void update(RoutingContext ctx, UnaryOperator<SinkSpec> update) {
        String name = ctx.pathParam("sink");
        Replies.when(ctx, kafka.blocking(() -> store.update(name, update)),
                changed -> Replies.json(ctx, 200, render(changed, true)));
    }
}
