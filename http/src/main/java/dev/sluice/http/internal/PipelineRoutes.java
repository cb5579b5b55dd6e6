package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.ChainResult;
import dev.sluice.pipelines.InferredSchemas;
import dev.sluice.pipelines.Notification;
import dev.sluice.pipelines.Pipeline;
import dev.sluice.pipelines.PipelineCatalog;
import dev.sluice.pipelines.PipelineChain;
import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.PipelineSpec;
import dev.sluice.pipelines.StepReport;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /v1/pipelines}, {@code /v1/audiences} and {@code /v1/wasm}: define pipelines, attach them to audiences in
 * order, pause and resume audiences, upload WebAssembly modules, and dry-run a pipeline on a sample payload. Every
 * change is one record of {@value PipelineCatalog#TOPIC}, which the broker follows; nothing here calls the broker.
 */
final class PipelineRoutes {
    private final KafkaGateway kafka;
    private final PipelineStore store;

    PipelineRoutes(KafkaGateway kafka, PipelineStore store) {
        this.kafka = kafka;
        this.store = store;
    }

    void register(Router router) {
        router.get("/v1/pipelines").handler(this::list);
        router.post("/v1/pipelines").handler(this::create);
        router.post("/v1/pipelines/dry-run").handler(this::dryRunSpec);
        // Before /v1/pipelines/:id, which would take "types" for an id.
        router.get("/v1/pipelines/types").handler(this::types);
        router.get("/v1/pipelines/:id").handler(ctx -> Replies.json(ctx, 200, render(find(ctx.pathParam("id")))));
        router.put("/v1/pipelines/:id").handler(this::replace);
        router.delete("/v1/pipelines/:id").handler(this::delete);
        router.post("/v1/pipelines/:id/dry-run").handler(this::dryRunSaved);
        router.get("/v1/audiences").handler(this::audiences);
        router.put("/v1/audiences/:service/:topic/:direction").handler(this::attach);
        router.delete("/v1/audiences/:service/:topic/:direction").handler(this::detach);
        router.get("/v1/audiences/:service/:topic/:direction/schema").handler(this::schema);
        router.post("/v1/audiences/:service/:topic/:direction/pause").handler(ctx -> pause(ctx, true));
        router.post("/v1/audiences/:service/:topic/:direction/resume").handler(ctx -> pause(ctx, false));
        router.get("/v1/wasm").handler(this::modules);
        router.post("/v1/wasm").handler(this::upload);
        router.delete("/v1/wasm/:id").handler(this::deleteModule);
    }

    // --- pipelines

    private ObjectNode render(PipelineSpec spec) {
        ObjectNode node = Json.MAPPER.valueToTree(spec);
        ArrayNode attached = node.putArray("attachedTo");
        store.attachedTo(spec.id()).forEach(a -> attached.add(a.key()));
        return node;
    }

    private PipelineSpec find(String id) {
        return store.catalog().pipeline(id).orElseThrow(() -> notFound(id));
    }

    private static ApiError notFound(String id) {
        return ApiError.notFound("pipeline_not_found", "pipeline '" + id + "' does not exist");
    }

    /** The step kinds and their types, and what a condition can do: what a form needs to offer. */
    private void types(RoutingContext ctx) {
        ObjectNode body = Json.object();
        Pipeline.detectiveTypes().forEach(body.putArray("detective")::add);
        Pipeline.transformTypes().forEach(body.putArray("transform")::add);
        java.util.Arrays.stream(dev.sluice.pipelines.ConditionSpec.Then.values())
                .map(then -> then.name().toLowerCase(java.util.Locale.ROOT))
                .forEach(body.putArray("then")::add);
        body.putArray("steps").add("detective").add("transform").add("schemaValidation").add("validJson")
                .add("inferSchema").add("wasm");
        Replies.json(ctx, 200, body);
    }

    private void list(RoutingContext ctx) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("pipelines");
        store.catalog().pipelines().forEach(spec -> list.add(render(spec)));
        Replies.json(ctx, 200, body);
    }

    private Pipeline compile(PipelineSpec spec) {
        try {
            return Pipeline.compile(spec, store.catalog()::wasmModule);
        } catch (PipelineException e) {
            throw invalid(e);
        }
    }

    /** A 400 naming the pipeline's step that is wrong in {@code error.step} ({@code index} from 0, {@code name}). */
    static ApiError invalid(PipelineException e) {
        ObjectNode details = null;
        if (e.stepIndex() >= 0) {
            details = Json.object();
            ObjectNode step = details.putObject("step").put("index", e.stepIndex());
            if (e.stepName() != null) {
                step.put("name", e.stepName());
            }
        }
        return new ApiError(400, "invalid_pipeline", e.getMessage(), details);
    }

    private PipelineSpec parseSpec(RoutingContext ctx) {
        return Json.parse(ctx.body().buffer(), PipelineSpec.class);
    }

    private void create(RoutingContext ctx) {
        PipelineSpec spec = parseSpec(ctx).withVersion(1);
        compile(spec);
        Replies.when(ctx, kafka.blocking(() -> store.change(PipelineCatalog.pipelineKey(spec.id()), catalog -> {
            if (catalog.pipeline(spec.id()).isPresent()) {
                throw ApiError.conflict("pipeline_exists", "pipeline '" + spec.id() + "' already exists");
            }
            return new PipelineStore.Write<>(PipelineCatalog.json(spec), spec);
        })), created -> Replies.json(ctx, 201, render(created)));
    }

    /**
     * Replaces a pipeline's name and steps, or creates it (201, version 1) as PUT does; the version goes up by one.
     * Audiences pick it up at once.
     */
    private void replace(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        PipelineSpec body = parseSpec(ctx);
        if (body.id() != null && !body.id().equals(id)) {
            throw ApiError.badRequest("the body's id '" + body.id() + "' is not the path's '" + id + "'");
        }
        PipelineSpec candidate = new PipelineSpec(id, body.name(), 1, body.steps());
        compile(candidate);
        Replies.when(ctx, kafka.blocking(() -> store.change(PipelineCatalog.pipelineKey(id), catalog -> {
            PipelineSpec next = catalog.pipeline(id)
                    .map(existing -> candidate.withVersion((existing.version() == null ? 0 : existing.version()) + 1))
                    .orElse(candidate);
            return new PipelineStore.Write<>(PipelineCatalog.json(next), next);
        })), changed -> Replies.json(ctx, changed.version() == 1 ? 201 : 200, render(changed)));
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Replies.when(ctx, kafka.blocking(() -> store.change(PipelineCatalog.pipelineKey(id), catalog -> {
            catalog.pipeline(id).orElseThrow(() -> notFound(id));
            List<String> audiences = store.attachedTo(id).stream().map(AudienceSpec::key).toList();
            if (!audiences.isEmpty()) {
                throw ApiError.conflict("pipeline_attached", "pipeline '" + id + "' is attached to " + audiences
                        + "; detach it first");
            }
            return new PipelineStore.Write<Void>(null, null);
        })), ignored -> Replies.noContent(ctx));
    }

    // --- dry runs

    /** {@code {"pipeline": {...}, "payload": ..., "topic": "..."}}: runs a pipeline that is not saved. */
    private void dryRunSpec(RoutingContext ctx) {
        JsonNode body = Json.parse(ctx.body().buffer());
        if (!body.path("pipeline").isObject()) {
            throw ApiError.badRequest("the body needs a 'pipeline' object (and a 'payload')");
        }
        PipelineSpec spec;
        try {
            spec = Json.MAPPER.treeToValue(body.get("pipeline"), PipelineSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiError(400, "invalid_pipeline", e.getOriginalMessage());
        }
        dryRun(ctx, spec.id() == null ? new PipelineSpec("dry-run", spec.name(), 0, spec.steps()) : spec, body);
    }

    private void dryRunSaved(RoutingContext ctx) {
        PipelineSpec spec = find(ctx.pathParam("id"));
        dryRun(ctx, spec, Json.parse(ctx.body().buffer()));
    }

    /**
     * The payload is {@code payload} (a JSON value; a JSON string is taken as the raw text, so non-JSON payloads
     * can be tried) or {@code payloadBase64}. The answer shows the verdict, the value and every step's answer.
     */
    private void dryRun(RoutingContext ctx, PipelineSpec spec, JsonNode body) {
        byte[] payload;
        if (body.hasNonNull("payloadBase64")) {
            try {
                payload = Base64.getDecoder().decode(body.get("payloadBase64").asText());
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("payloadBase64 is not base64: " + e.getMessage());
            }
        } else if (body.has("payload")) {
            JsonNode value = body.get("payload");
            payload = value.isTextual() ? value.asText().getBytes(StandardCharsets.UTF_8) : Json.bytes(value);
        } else {
            throw ApiError.badRequest("the body needs a 'payload' (any JSON) or 'payloadBase64'");
        }
        String topic = body.path("topic").asText("dry-run");
        Pipeline pipeline = compile(spec);
        ChainResult result = PipelineChain.of("dry-run/" + topic + "/produce", List.of(pipeline),
                new InferredSchemas()).process(payload, topic, true);
        Replies.json(ctx, 200, renderResult(result));
    }

    static ObjectNode renderResult(ChainResult result) {
        ObjectNode node = Json.object();
        node.put("verdict", result.verdict().name().toLowerCase(Locale.ROOT));
        node.set("value", Json.valueOrText(result.value()));
        node.put("changed", result.changed());
        ObjectNode headers = node.putObject("headers");
        if (result.headers() != null) {
            result.headers().forEach(headers::put);
        }
        if (result.deadLetter() != null) {
            node.put("deadLetterTopic", result.deadLetter());
        }
        if (result.reason() != null) {
            node.put("reason", result.reason());
        }
        ArrayNode notifications = node.putArray("notifications");
        for (Notification n : result.notifications() == null ? List.<Notification>of() : result.notifications()) {
            notifications.add(Json.object().put("pipeline", n.pipeline()).put("step", n.step())
                    .put("outcome", n.outcome().name().toLowerCase(Locale.ROOT)).put("detail", n.detail()));
        }
        ArrayNode steps = node.putArray("steps");
        for (StepReport report : result.trace() == null ? List.<StepReport>of() : result.trace()) {
            ObjectNode step = steps.addObject()
                    .put("pipeline", report.pipeline())
                    .put("step", report.step())
                    .put("outcome", report.outcome().name().toLowerCase(Locale.ROOT))
                    .put("then", report.then());
            if (report.detail() != null) {
                step.put("detail", report.detail());
            }
            step.set("payload", Json.valueOrText(report.payloadAfter().getBytes(StandardCharsets.UTF_8)));
        }
        return node;
    }

    // --- audiences

    private void audiences(RoutingContext ctx) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("audiences");
        Map<String, String> problems = store.catalog().problems();
        for (AudienceSpec audience : store.catalog().audiences()) {
            ObjectNode node = Json.MAPPER.valueToTree(audience);
            node.put("paused", audience.pausedNow());
            node.put("key", audience.key());
            if (problems.containsKey(audience.key())) {
                node.put("problem", problems.get(audience.key()));
            }
            list.add(node);
        }
        Replies.json(ctx, 200, body);
    }

    record AttachBody(List<String> pipelines, Boolean paused) {
    }

    private AudienceSpec audienceFromPath(RoutingContext ctx, List<String> pipelines, Boolean paused) {
        try {
            return new AudienceSpec(ctx.pathParam("service"), ctx.pathParam("topic"), ctx.pathParam("direction"),
                    pipelines, paused).checked();
        } catch (PipelineException e) {
            throw new ApiError(400, "invalid_audience", e.getMessage());
        }
    }

    /** Sets the audience's ordered pipelines (replacing what was attached). Every pipeline must exist. */
    private void attach(RoutingContext ctx) {
        AttachBody body = Json.parse(ctx.body().buffer(), AttachBody.class);
        if (body.pipelines() == null) {
            throw ApiError.badRequest("the body needs 'pipelines': the ordered list of pipeline ids");
        }
        AudienceSpec wanted = audienceFromPath(ctx, body.pipelines(), body.paused());
        Replies.when(ctx, kafka.blocking(() -> store.change(PipelineCatalog.audienceKey(wanted.key()), catalog -> {
            List<String> missing = new ArrayList<>();
            for (String id : wanted.pipelines()) {
                if (catalog.pipeline(id).isEmpty()) {
                    missing.add(id);
                }
            }
            if (!missing.isEmpty()) {
                throw new ApiError(400, "pipeline_not_found", "pipelines " + missing + " do not exist");
            }
            AudienceSpec next = wanted.paused() != null ? wanted
                    : wanted.withPaused(catalog.audience(wanted.key()).map(AudienceSpec::pausedNow).orElse(false));
            return new PipelineStore.Write<>(PipelineCatalog.json(next), next);
        })), saved -> Replies.json(ctx, 200, Json.MAPPER.valueToTree(saved)));
    }

    private void detach(RoutingContext ctx) {
        AudienceSpec audience = audienceFromPath(ctx, null, null);
        Replies.when(ctx, kafka.blocking(() -> store.change(PipelineCatalog.audienceKey(audience.key()), catalog -> {
            catalog.audience(audience.key()).orElseThrow(() -> audienceNotFound(audience.key()));
            return new PipelineStore.Write<Void>(null, null);
        })), ignored -> Replies.noContent(ctx));
    }

    private void pause(RoutingContext ctx, boolean paused) {
        AudienceSpec audience = audienceFromPath(ctx, null, null);
        Replies.when(ctx, kafka.blocking(() -> store.change(PipelineCatalog.audienceKey(audience.key()), catalog -> {
            AudienceSpec next = catalog.audience(audience.key()).orElseThrow(() -> audienceNotFound(audience.key()))
                    .withPaused(paused);
            return new PipelineStore.Write<>(PipelineCatalog.json(next), next);
        })), saved -> Replies.json(ctx, 200, Json.MAPPER.valueToTree(saved)));
    }

    /** The JSON schema the audience's inferSchema steps inferred (as the broker published it), with its version. */
    private void schema(RoutingContext ctx) {
        AudienceSpec audience = audienceFromPath(ctx, null, null);
        var schema = store.catalog().publishedSchemas().get(audience.key());
        if (schema == null) {
            throw ApiError.notFound("schema_not_found", "no schema inferred for audience '" + audience.key()
                    + "' yet: attach a pipeline with an inferSchema step and send it records");
        }
        ObjectNode body = Json.object().put("audience", audience.key()).put("version", schema.version());
        body.set("schema", schema.schema());
        Replies.json(ctx, 200, body);
    }

    private static ApiError audienceNotFound(String key) {
        return ApiError.notFound("audience_not_found", "audience '" + key + "' has no pipelines attached");
    }

    // --- wasm modules

    private void modules(RoutingContext ctx) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("modules");
        store.catalog().wasmModules().forEach((id, size) -> list.addObject().put("id", id).put("size", size));
        Replies.json(ctx, 200, body);
    }

    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};

    /** The body is the module's bytes; its id is derived from them, so uploading it again changes nothing. */
    private void upload(RoutingContext ctx) {
        byte[] module = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (module.length < 8 || !java.util.Arrays.equals(module, 0, 4, WASM_MAGIC, 0, 4)) {
            throw new ApiError(400, "invalid_wasm", "the body is not a WebAssembly binary module (it must start "
                    + "with \\0asm); compile text (.wat) modules first, e.g. with wat2wasm");
        }
        String id = PipelineCatalog.wasmId(module);
        Replies.when(ctx, kafka.blocking(() -> store.change(PipelineCatalog.wasmKey(id),
                        catalog -> new PipelineStore.Write<>(module, id))),
                saved -> Replies.json(ctx, 201, Json.object().put("id", saved).put("size", module.length)));
    }

    private void deleteModule(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Replies.when(ctx, kafka.blocking(() -> store.change(PipelineCatalog.wasmKey(id), catalog -> {
            if (catalog.wasmModule(id) == null) {
                throw ApiError.notFound("wasm_not_found", "wasm module '" + id + "' does not exist");
            }
            List<String> users = catalog.pipelines().stream()
                    .filter(p -> p.steps().stream().anyMatch(s -> s.wasm() != null && id.equals(s.wasm().module())))
                    .map(PipelineSpec::id).toList();
            if (!users.isEmpty()) {
                throw ApiError.conflict("wasm_in_use", "wasm module '" + id + "' is used by pipelines " + users);
            }
            return new PipelineStore.Write<Void>(null, null);
        })), ignored -> Replies.noContent(ctx));
    }
}
