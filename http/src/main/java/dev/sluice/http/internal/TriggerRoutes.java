package dev.sluice.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.http.internal.ServiceStore.Change;
import dev.sluice.services.ServiceCatalog;
import dev.sluice.services.ServiceCatalog.DeployedVersion;
import dev.sluice.services.trigger.TriggerException;
import dev.sluice.services.trigger.TriggerRouter;
import dev.sluice.services.trigger.TriggerSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code /v1/triggers}: create, replace, list, describe and delete triggers (an event filter and the service version
 * it runs). A trigger is compiled as the router will compile it, and must name a deployed service (and, when it pins
 * one, a deployed version) when it is put; it is a record of {@code _sluice_services}, which the engines follow.
 */
final class TriggerRoutes {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> YAML_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml",
            "text/x-yaml");

    private final KafkaGateway kafka;
    private final ServiceStore store;

    TriggerRoutes(KafkaGateway kafka, ServiceStore store) {
        this.kafka = kafka;
        this.store = store;
    }

    void register(Router router) {
        router.get("/v1/triggers").handler(this::list);
        router.post("/v1/triggers").handler(ctx -> put(ctx, null));
        router.get("/v1/triggers/:id").handler(ctx -> Replies.json(ctx, 200, render(find(ctx.pathParam("id")))));
        router.put("/v1/triggers/:id").handler(ctx -> put(ctx, ctx.pathParam("id")));
        router.delete("/v1/triggers/:id").handler(this::delete);
    }

    private void list(RoutingContext ctx) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("triggers");
        store.catalog().triggers().stream().sorted(Comparator.comparing(TriggerSpec::id))
                .forEach(trigger -> list.add(render(trigger)));
        Replies.json(ctx, 200, body);
    }

    /** POST ({@code id} null) creates, 409 when the id is taken; PUT creates or replaces the trigger at the path. */
    private void put(RoutingContext ctx, String id) {
        TriggerSpec trigger = parse(ctx.body().buffer(), ctx.request().getHeader("Content-Type"), id);
        boolean createOnly = id == null;
        Replies.when(ctx, kafka.blocking(() -> store.change(catalog -> {
            boolean exists = catalog.trigger(trigger.id()).isPresent();
            if (createOnly && exists) {
                throw ApiError.conflict("trigger_exists", "trigger '" + trigger.id() + "' already exists");
            }
            checkTarget(catalog, trigger);
            return Change.of(ServiceCatalog.triggerKey(trigger.id()), ServiceCatalog.triggerBytes(trigger), !exists);
        })), created -> Replies.json(ctx, created ? 201 : 200, render(trigger)));
    }

    /**
     * A trigger from a JSON or YAML body ({@code Content-Type: application/yaml}), checked as the router checks it.
     *
     * @param pathId the id in the path of a PUT, which a body may leave out; null for a POST
     */
    static TriggerSpec parse(Buffer body, String contentType, String pathId) {
        if (body == null || body.length() == 0) {
            throw new ApiError(400, "invalid_trigger", "the request needs a trigger as JSON or YAML");
        }
        JsonNode tree = isYaml(contentType) ? yaml(body) : Json.parse(body);
        if (!(tree instanceof ObjectNode object)) {
            throw new ApiError(400, "invalid_trigger", "a trigger is an object with id, service, version, filter and "
                    + "active");
        }
        if (pathId != null) {
            JsonNode id = object.get("id");
            if (id == null || id.isNull()) {
                object.put("id", pathId);
            } else if (!id.asText().equals(pathId)) {
                throw new ApiError(400, "invalid_trigger", "id: '" + id.asText() + "' differs from '" + pathId
                        + "' in the path");
            }
        }
        try {
            TriggerSpec trigger = TriggerSpec.parse(object.toString());
            TriggerRouter.validate(trigger);
            return trigger;
        } catch (TriggerException e) {
            throw new ApiError(400, "invalid_trigger", e.getMessage());
        }
    }

    private static boolean isYaml(String contentType) {
        return contentType != null
                && YAML_TYPES.contains(contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT));
    }

    private static JsonNode yaml(Buffer body) {
        try {
            JsonNode tree = YAML.readTree(body.getBytes());
            return tree == null ? YAML.nullNode() : tree;
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "invalid_trigger", "invalid YAML: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ApiError(400, "invalid_trigger", "unreadable YAML: " + e.getMessage());
        }
    }

    /** The service must be deployed, and a pinned version one of its versions. */
    private static void checkTarget(ServiceCatalog catalog, TriggerSpec trigger) {
        List<DeployedVersion> versions = catalog.versions(trigger.service());
        String at = "trigger '" + trigger.id() + "': ";
        if (versions.isEmpty()) {
            throw new ApiError(400, "unknown_service", at + "service: '" + trigger.service() + "' is not deployed");
        }
        if (!trigger.version().equals(TriggerSpec.LATEST)
                && versions.stream().noneMatch(v -> v.version().equals(trigger.version()))) {
            throw new ApiError(400, "unknown_version", at + "version: service '" + trigger.service()
                    + "' has no version '" + trigger.version() + "' (versions: "
                    + String.join(", ", versions.stream().map(DeployedVersion::version).toList()) + ")");
        }
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Replies.when(ctx, kafka.blocking(() -> store.change(catalog -> {
            if (catalog.trigger(id).isEmpty()) {
                throw notFound(id);
            }
            return Change.<Void>of(ServiceCatalog.triggerKey(id), null, null);
        })), ignored -> Replies.noContent(ctx));
    }

    private TriggerSpec find(String id) {
        return store.catalog().trigger(id).orElseThrow(() -> notFound(id));
    }

    private static ApiError notFound(String id) {
        return ApiError.notFound("trigger_not_found", "trigger '" + id + "' does not exist");
    }

    static ObjectNode render(TriggerSpec trigger) {
        return Json.MAPPER.valueToTree(trigger);
    }
}
