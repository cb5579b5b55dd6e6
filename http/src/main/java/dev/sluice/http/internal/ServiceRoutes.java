package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.http.internal.ServiceStore.Change;
import dev.sluice.http.internal.ServiceStore.Write;
import dev.sluice.services.RunRecord;
import dev.sluice.services.SecretBox;
import dev.sluice.services.ServiceCatalog;
import dev.sluice.services.ServiceCatalog.DeployedVersion;
import dev.sluice.services.ServiceException;
import dev.sluice.services.ServiceManifest;
import dev.sluice.services.ServicePackage;
import dev.sluice.services.ServiceTopics;
import dev.sluice.services.trigger.CloudEventCodec;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.ServiceRunEvents;
import dev.sluice.services.trigger.TriggerSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code /v1/services}: deploy versions (a package zip), list and describe services, download a version's package,
 * delete versions or whole services, set their secrets and request manual runs. Everything is a record of
 * {@value ServiceTopics#CATALOG}, which the services engines follow; a manual run is an event on
 * {@value ServiceTopics#EVENTS}. Nothing here calls an engine.
 */
final class ServiceRoutes {
    /**
     * The largest package body. The catalog record holds the zip in base64, a third larger, and must fit in
     * {@link ServiceTopics#MAX_RECORD_BYTES}; a valid package is at most 10 MiB unpacked anyway.
     */
    static final long MAX_PACKAGE_BYTES = 12L * 1024 * 1024;
    /** Secrets become environment variables of the steps: the manifest's rule for their names. */
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** The CloudEvents extension that asks for a run of one version rather than the latest. */
    static final String VERSION_EXTENSION = "serviceversion";

    private final KafkaGateway kafka;
    private final ServiceStore store;
    private final SecretBox secrets;
    private final Clock clock;
    private final CloudEventCodec codec = new CloudEventCodec();

    /** @param secrets seals the services' secrets; null when this node has no key (the secrets routes answer 503) */
    ServiceRoutes(KafkaGateway kafka, ServiceStore store, SecretBox secrets, Clock clock) {
        this.kafka = kafka;
        this.store = store;
        this.secrets = secrets;
        this.clock = clock;
    }

    void register(Router router) {
        router.get("/v1/services").handler(this::list);
        router.post("/v1/services").handler(this::deploy);
        router.get("/v1/services/:name").handler(this::describe);
        router.delete("/v1/services/:name").handler(this::delete);
        router.get("/v1/services/:name/versions/:version/package").handler(this::download);
        router.delete("/v1/services/:name/versions/:version").handler(this::deleteVersion);
        router.get("/v1/services/:name/secrets").handler(this::secretNames);
        router.put("/v1/services/:name/secrets").handler(ctx -> changeSecrets(ctx, false));
        router.patch("/v1/services/:name/secrets").handler(ctx -> changeSecrets(ctx, true));
        router.post("/v1/services/:name/runs").handler(this::run);
    }

    // --- services and versions

    private void list(RoutingContext ctx) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("services");
        ServiceCatalog catalog = store.catalog();
        for (String name : catalog.services()) {
            List<DeployedVersion> versions = catalog.versions(name);
            if (versions.isEmpty()) {
                continue; // deleted since services() was read
            }
            DeployedVersion latest = versions.getFirst();
            ServiceManifest manifest = latest.pkg().manifest();
            list.addObject().put("name", name).put("latestVersion", latest.version())
                    .put("versions", versions.size()).put("deployedAt", latest.deployedAt().toString())
                    .put("description", manifest.description()).put("runtime", manifest.runtime())
                    .put("schedule", manifest.schedule()).put("active", manifest.active())
                    .put("allowManual", manifest.allowManual());
        }
        Replies.json(ctx, 200, body);
    }

    /** Deploys the package in the body; the same version again answers 200 with what is deployed. */
    private void deploy(RoutingContext ctx) {
        ServicePackage pkg = parsePackage(ctx.body().buffer());
        String name = pkg.manifest().name();
        Replies.when(ctx, kafka.blocking(() -> store.change(catalog -> {
            DeployedVersion existing = find(catalog.versions(name), pkg.version());
            if (existing != null) {
                return new Change<>(List.of(), new Deployed(existing, false));
            }
            DeployedVersion deployed = new DeployedVersion(name, pkg.version(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), pkg);
            return Change.of(ServiceCatalog.versionKey(name, pkg.version()), deployed.toBytes(),
                    new Deployed(deployed, true));
        })), deployed -> Replies.json(ctx, deployed.created() ? 201 : 200, render(deployed.version())));
    }

    private record Deployed(DeployedVersion version, boolean created) {
    }

    private static ServicePackage parsePackage(Buffer body) {
        if (body == null || body.length() == 0) {
            throw new ApiError(400, "invalid_service", "the request needs a body: the service's package as a zip "
                    + "(Content-Type: application/zip)");
        }
        try {
            return ServicePackage.fromZip(body.getBytes());
        } catch (ServiceException e) {
            throw new ApiError(400, "invalid_service", e.getMessage());
        } catch (UncheckedIOException e) {
            // A zip cut short ends in an EOFException rather than a ZipException.
            throw new ApiError(400, "invalid_service", "package is not a valid zip: " + e.getCause().getMessage());
        }
    }

    private void describe(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        List<DeployedVersion> versions = requireService(store.catalog(), name);
        ObjectNode body = Json.object().put("name", name).put("latestVersion", versions.getFirst().version());
        ArrayNode list = body.putArray("versions");
        versions.forEach(version -> list.add(render(version)));
        try {
            ArrayNode names = body.putArray("secrets");
            secretsOf(store.catalog(), name).keySet().forEach(names::add);
        } catch (ApiError e) {
            // The service is still worth showing when its secrets cannot be opened here.
            body.putNull("secrets").put("secretsError", e.getMessage());
        }
        Replies.json(ctx, 200, body);
    }

    /** Every version and the secrets go; refused while a trigger names the service. */
    private void delete(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Replies.when(ctx, kafka.blocking(() -> store.change(catalog -> {
            List<DeployedVersion> versions = requireService(catalog, name);
            List<String> users = triggersOf(catalog, name, trigger -> true);
            if (!users.isEmpty()) {
                throw ApiError.conflict("service_in_use", "service '" + name + "' is run by triggers " + users
                        + "; delete them first");
            }
            List<Write> writes = new ArrayList<>();
            versions.forEach(version -> writes.add(new Write(ServiceCatalog.versionKey(name, version.version()),
                    null)));
            if (catalog.secrets(name).isPresent()) {
                writes.add(new Write(ServiceCatalog.secretsKey(name), null));
            }
            return new Change<Void>(writes, null);
        })), ignored -> Replies.noContent(ctx));
    }

    /**
     * One version goes; refused while a trigger pins it, or follows the latest and this is the last version. The
     * last version takes the service's secrets with it, as deleting the service would.
     */
    private void deleteVersion(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String version = ctx.pathParam("version");
        Replies.when(ctx, kafka.blocking(() -> store.change(catalog -> {
            List<DeployedVersion> versions = requireService(catalog, name);
            requireVersion(versions, name, version);
            boolean last = versions.size() == 1;
            List<String> users = triggersOf(catalog, name, trigger -> trigger.version().equals(version)
                    || last && trigger.version().equals(TriggerSpec.LATEST));
            if (!users.isEmpty()) {
                throw ApiError.conflict("version_in_use", "version " + version + " of service '" + name
                        + "' is run by triggers " + users + "; re-point or delete them first");
            }
            List<Write> writes = new ArrayList<>();
            writes.add(new Write(ServiceCatalog.versionKey(name, version), null));
            if (last && catalog.secrets(name).isPresent()) {
                writes.add(new Write(ServiceCatalog.secretsKey(name), null));
            }
            return new Change<Void>(writes, null);
        })), ignored -> Replies.noContent(ctx));
    }

    private void download(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String version = ctx.pathParam("version");
        DeployedVersion deployed = requireVersion(requireService(store.catalog(), name), name, version);
        ctx.response().putHeader("Content-Type", "application/zip")
                .putHeader("Content-Disposition", "attachment; filename=\"" + name + "-" + version + ".zip\"")
                .end(Buffer.buffer(deployed.pkg().zip()));
    }

    /** A version as deploy answers it and describe lists it. */
    static ObjectNode render(DeployedVersion version) {
        ObjectNode node = Json.object().put("service", version.service()).put("version", version.version())
                .put("deployedAt", version.deployedAt().toString());
        node.set("manifest", render(version.pkg().manifest()));
        ArrayNode files = node.putArray("files");
        version.pkg().fileNames().forEach(files::add);
        return node;
    }

    /** The manifest's fields, durations in ISO-8601 (which {@code service.yaml} also takes). */
    private static ObjectNode render(ServiceManifest manifest) {
        ObjectNode node = Json.object().put("name", manifest.name()).put("description", manifest.description())
                .put("runtime", manifest.runtime());
        ArrayNode steps = node.putArray("steps");
        manifest.steps().forEach(steps::add);
        node.put("timeout", manifest.timeout().toString());
        node.putObject("retries").put("max", manifest.retries().maxRetries())
                .put("backoff", manifest.retries().backoff().toString())
                .put("maxBackoff", manifest.retries().maxBackoff().toString());
        node.put("maxConcurrency", manifest.maxConcurrency());
        ObjectNode environment = node.putObject("environment");
        new TreeMap<>(manifest.environment()).forEach(environment::put);
        ArrayNode secretNames = node.putArray("secrets");
        manifest.secrets().forEach(secretNames::add);
        return node.put("schedule", manifest.schedule()).put("allowManual", manifest.allowManual())
                .put("active", manifest.active());
    }

    private static List<DeployedVersion> requireService(ServiceCatalog catalog, String name) {
        List<DeployedVersion> versions = catalog.versions(name);
        if (versions.isEmpty()) {
            throw notFound(name);
        }
        return versions;
    }

    static ApiError notFound(String name) {
        return ApiError.notFound("service_not_found", "service '" + name + "' is not deployed");
    }

    private static DeployedVersion requireVersion(List<DeployedVersion> versions, String name, String version) {
        DeployedVersion found = find(versions, version);
        if (found == null) {
            throw ApiError.notFound("version_not_found", "service '" + name + "' has no version '" + version
                    + "' (versions: " + String.join(", ", versions.stream().map(DeployedVersion::version).toList())
                    + ")");
        }
        return found;
    }

    private static DeployedVersion find(List<DeployedVersion> versions, String version) {
        return versions.stream().filter(v -> v.version().equals(version)).findFirst().orElse(null);
    }

    private static List<String> triggersOf(ServiceCatalog catalog, String service,
                                           Predicate<TriggerSpec> which) {
        return catalog.triggers().stream().filter(t -> t.service().equals(service) && which.test(t))
                .map(TriggerSpec::id).sorted().toList();
    }

    // --- secrets

    private void secretNames(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        requireService(store.catalog(), name);
        Replies.json(ctx, 200, secretsBody(name, secretsOf(store.catalog(), name)));
    }

    /** PUT replaces every secret; PATCH sets the ones given and removes those given as null. */
    private void changeSecrets(RoutingContext ctx, boolean merge) {
        String name = ctx.pathParam("name");
        JsonNode body = Json.parse(ctx.body().buffer());
        if (!body.isObject()) {
            throw new ApiError(400, "invalid_secrets", "secrets are a JSON object of names to string values");
        }
        requireBox();
        Replies.when(ctx, kafka.blocking(() -> store.change(catalog -> {
            requireService(catalog, name);
            Map<String, String> next = merge ? new TreeMap<>(secretsOf(catalog, name)) : new TreeMap<>();
            for (Map.Entry<String, JsonNode> secret : body.properties()) {
                String key = secret.getKey();
                checkSecretName(key);
                if (secret.getValue().isNull() && merge) {
                    next.remove(key);
                } else if (secret.getValue().isTextual()) {
                    next.put(key, secret.getValue().asText());
                } else {
                    throw new ApiError(400, "invalid_secrets", key + ": must be a string"
                            + (merge ? ", or null to remove it" : ""));
                }
            }
            byte[] sealed = next.isEmpty() ? null : secrets.seal(name, next).toBytes();
            return Change.of(ServiceCatalog.secretsKey(name), sealed, next);
        })), saved -> Replies.json(ctx, 200, secretsBody(name, saved)));
    }

    private static ObjectNode secretsBody(String service, Map<String, String> secrets) {
        ObjectNode body = Json.object().put("service", service);
        ArrayNode names = body.putArray("names");
        new TreeMap<>(secrets).keySet().forEach(names::add);
        return body;
    }

    private static void checkSecretName(String name) {
        if (!SECRET_NAME.matcher(name).matches() || name.startsWith("CE_") || name.startsWith("SLUICE_")) {
            throw new ApiError(400, "invalid_secrets", "'" + name + "' is not a secret name: an environment "
                    + "variable name ([A-Za-z_][A-Za-z0-9_]*, at most 128) not starting with CE_ or SLUICE_");
        }
    }

    /** The service's secrets, opened; empty when none are set. */
    private Map<String, String> secretsOf(ServiceCatalog catalog, String service) {
        SecretBox.Sealed sealed = catalog.secrets(service).orElse(null);
        if (sealed == null) {
            return Map.of();
        }
        try {
            return new TreeMap<>(requireBox().open(service, sealed));
        } catch (ServiceException e) {
            throw new ApiError(500, "secrets_unreadable", e.getMessage());
        }
    }

    private SecretBox requireBox() {
        if (secrets == null) {
            throw new ApiError(503, "secrets_unavailable", "this HTTP component has no key for services' secrets");
        }
        return secrets;
    }

    // --- manual runs

    /**
     * A manual run's request.
     *
     * @param data    the event's data, the run's parameters; {@code {}} when absent
     * @param version a version id (or {@code latest}) to run instead of the latest
     */
    record ManualRun(JsonNode data, String version) {
    }

    private void run(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Buffer buffer = ctx.body().buffer();
        ManualRun request = buffer == null || buffer.length() == 0 ? new ManualRun(null, null)
                : Json.parse(buffer, ManualRun.class);
        List<DeployedVersion> versions = requireService(store.catalog(), name);
        DeployedVersion version = request.version() == null || request.version().equals(TriggerSpec.LATEST)
                ? versions.getFirst() : requireVersion(versions, name, request.version());
        if (!version.pkg().manifest().allowManual()) {
            throw ApiError.conflict("manual_runs_disabled", "service '" + name + "' (version " + version.version()
                    + ") does not allow manual runs (allowManual: false in service.yaml)");
        }
        JsonNode data = request.data() == null || request.data().isNull() ? null : request.data();
        // Always the version resolved here: the run is of the version the caller saw as latest, even if another is
        // deployed before the event is routed.
        Event sent = ServiceRunEvents.manual(name, data, clock.instant())
                .withExtension(VERSION_EXTENSION, version.version());
        Replies.when(ctx, store.ensureEventsTopic()
                        .thenCompose(created -> kafka.send(List.of(codec.toBinaryRecord(ServiceTopics.EVENTS,
                                name.getBytes(StandardCharsets.UTF_8), sent))))
                        .thenCompose(List::getFirst),
                metadata -> Replies.json(ctx, 202, Json.object().put("eventId", sent.id())
                        .put("runId", RunRecord.runId(sent.source(), sent.id(), RunRecord.MANUAL))));
    }
}
