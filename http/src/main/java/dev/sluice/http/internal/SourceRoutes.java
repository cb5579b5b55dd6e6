package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import dev.sluice.mapping.ColumnSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** {@code /v1/sources}: create, list, describe, change, rotate the secret of, disable, enable and delete sources. */
final class SourceRoutes {
    private final KafkaGateway kafka;
    private final SourceStore store;

    SourceRoutes(KafkaGateway kafka, SourceStore store) {
        this.kafka = kafka;
        this.store = store;
    }

    void register(Router router) {
        router.get("/v1/sources").handler(this::list);
        router.post("/v1/sources").handler(this::create);
        router.get("/v1/sources/:source").handler(ctx -> Replies.json(ctx, 200, render(find(ctx))));
        router.patch("/v1/sources/:source").handler(this::change);
        router.delete("/v1/sources/:source").handler(ctx -> Replies.when(ctx, kafka.blocking(() -> {
            store.delete(ctx.pathParam("source"));
            return null;
        }), ignored -> Replies.noContent(ctx)));
        router.post("/v1/sources/:source/rotate-secret").handler(ctx -> update(ctx, source ->
                source.withSecret(Source.newSecret())));
        router.post("/v1/sources/:source/disable").handler(ctx -> update(ctx, source -> source.withEnabled(false)));
        router.post("/v1/sources/:source/enable").handler(ctx -> update(ctx, source -> source.withEnabled(true)));
    }

    static ObjectNode render(Source source) {
        ObjectNode node = Json.object().put("name", source.name()).put("topic", source.topic())
                .put("secret", source.secret()).put("url", source.path()).put("enabled", source.enabled());
        source.headers().forEach(node.putArray("headers")::add);
        source.corsOrigins().forEach(node.putArray("corsOrigins")::add);
        if (source.mapping() != null) {
            node.set("mapping", Json.MAPPER.valueToTree(source.mapping()));
        }
        node.put("createdAt", source.createdAt());
        return node;
    }

    private Source find(RoutingContext ctx) {
        String name = ctx.pathParam("source");
        return store.get(name).orElseThrow(() -> ApiError.notFound("source_not_found",
                "source '" + name + "' does not exist"));
    }

    private void list(RoutingContext ctx) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("sources");
        store.all().stream().sorted(Comparator.comparing(Source::name)).forEach(s -> list.add(render(s)));
        Replies.json(ctx, 200, body);
    }

    record NewSourceBody(String name, String topic, List<String> headers, List<String> corsOrigins,
                         List<ColumnSpec> mapping) {
    }

    private void create(RoutingContext ctx) {
        NewSourceBody request = Json.parse(ctx.body().buffer(), NewSourceBody.class);
        if (request.name() == null || !Source.NAME.matcher(request.name()).matches()) {
            throw ApiError.badRequest("'name' is required: 1 to 100 letters, digits, '.', '_' or '-'");
        }
        if (request.topic() == null || request.topic().isBlank()) {
            throw ApiError.badRequest("'topic' is required");
        }
        Source.validateMapping(request.mapping());
        Source source = new Source(request.name(), request.topic(), Source.newSecret(), true, request.headers(),
                request.corsOrigins(), request.mapping(), null);
        Replies.when(ctx, ensureTopic(request.topic()).thenCompose(ignored -> kafka.blocking(() ->
                store.create(source))), created -> Replies.json(ctx, 201, render(created)));
    }

    /** A change; {@code mapping: []} removes the mapping, an absent field keeps what is there. */
    record SourceChangeBody(String topic, List<String> headers, List<String> corsOrigins, Boolean enabled,
                            List<ColumnSpec> mapping) {
    }

    private void change(RoutingContext ctx) {
        SourceChangeBody request = Json.parse(ctx.body().buffer(), SourceChangeBody.class);
        find(ctx);
        Source.validateMapping(request.mapping());
        var topicReady = request.topic() == null ? java.util.concurrent.CompletableFuture.<Void>completedFuture(null)
                : ensureTopic(request.topic());
        Replies.when(ctx, topicReady.thenCompose(ignored -> kafka.blocking(() -> store.update(ctx.pathParam("source"),
                source -> new Source(source.name(),
                        Optional.ofNullable(request.topic()).orElse(source.topic()), source.secret(),
                        Optional.ofNullable(request.enabled()).orElse(source.enabled()),
                        Optional.ofNullable(request.headers()).orElse(source.headers()),
                        Optional.ofNullable(request.corsOrigins()).orElse(source.corsOrigins()),
                        request.mapping() != null ? request.mapping() : source.mapping(),
                        source.createdAt())))), changed -> Replies.json(ctx, 200, render(changed)));
    }

    private void update(RoutingContext ctx, java.util.function.UnaryOperator<Source> update) {
        String name = ctx.pathParam("source");
        Replies.when(ctx, kafka.blocking(() -> store.update(name, update)),
                changed -> Replies.json(ctx, 200, render(changed)));
    }

    /** Creates the source's topic with the broker's defaults when it does not exist. */
    private java.util.concurrent.CompletableFuture<Void> ensureTopic(String topic) {
        return kafka.admin().createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all()
                .toCompletionStage().toCompletableFuture().exceptionally(failure -> {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof TopicExistsException) {
                        return null;
                    }
                    throw ApiError.from(failure);
                });
    }
}
