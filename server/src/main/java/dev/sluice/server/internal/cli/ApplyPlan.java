package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.PipelineSpec;
import dev.sluice.pipelines.StepSpec;
import dev.sluice.server.internal.cli.ApplyFile.SourceSpec;
import dev.sluice.server.internal.cli.ApplyFile.TopicSpec;
import dev.sluice.services.ServicePackage;
import dev.sluice.services.trigger.TriggerException;
import dev.sluice.services.trigger.TriggerSpec;
import dev.sluice.sinks.SinkSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What {@code sluice apply} must do to make one resource look as the file says, worked out from what the server
 * has now. Pure: no requests, so every rule is tested without a server. Only fields the file names are compared;
 * the rest are left as they are, so a file can manage part of a resource (say, only retention) safely.
 */
final class ApplyPlan {

    private ApplyPlan() {
    }

    /**
     * One resource's step; {@link #kind} is {@code topic}, {@code source}, {@code sink}, {@code pipeline},
     * {@code audience} (whose {@link #name} is its key, {@code service/topic/direction}), {@code service} or
     * {@code trigger}.
     */
    sealed interface Step {
        String kind();

        String name();
    }

    /** The resource does not exist: create it with {@code body}. */
    record Create(String kind, String name, ObjectNode body, boolean disableAfter) implements Step {
    }

    /**
     * The resource differs: send {@code patch} (for pipelines and audiences, which the API replaces with a PUT, the
     * whole definition); {@code summary} says what changes, e.g. {@code partitions 3 -> 6}.
     */
    record Change(String kind, String name, ObjectNode patch, String summary) implements Step {
    }

    record Unchanged(String kind, String name) implements Step {
    }

    /**
     * A service directory whose version the server does not have: deploy its package.
     *
     * @param latest the service's latest version on the server, or null for a new service
     */
    record Deploy(String name, ServicePackage pkg, String latest) implements Step {
        @Override
        public String kind() {
            return "service";
        }
    }

    /** The file asks for something the API cannot do (fewer partitions); nothing is applied when any is refused. */
    record Refused(String kind, String name, String reason) implements Step {
    }

    /** A topic as {@code GET /v1/topics/{t}} describes it. */
    record TopicState(int partitions, Map<String, String> configs) {
        static TopicState of(JsonNode topic) {
            Map<String, String> configs = new LinkedHashMap<>();
            topic.path("configs").properties().forEach(e -> configs.put(e.getKey(),
                    e.getValue().isNull() ? null : e.getValue().asText()));
            return new TopicState(topic.path("partitions").size(), configs);
        }
    }

    /** A source as {@code GET /v1/sources/{s}} describes it. */
    record SourceState(String topic, List<String> headers, List<String> corsOrigins, boolean enabled) {
        static SourceState of(JsonNode source) {
            return new SourceState(source.path("topic").asText(), SourceCommands.strings(source.path("headers")),
                    SourceCommands.strings(source.path("corsOrigins")), source.path("enabled").asBoolean(true));
        }
    }

    static Step topic(TopicSpec wanted, Optional<TopicState> current) {
        if (current.isEmpty()) {
            ObjectNode body = RestClient.object().put("name", wanted.name());
            if (wanted.partitions() != null) {
                body.put("partitions", wanted.partitions());
            }
            if (!wanted.configs().isEmpty()) {
                wanted.configs().forEach(body.putObject("configs")::put);
            }
            return new Create("topic", wanted.name(), body, false);
        }
        TopicState now = current.get();
        ObjectNode patch = RestClient.object();
        List<String> summary = new ArrayList<>();
        if (wanted.partitions() != null && wanted.partitions() != now.partitions()) {
            if (wanted.partitions() < now.partitions()) {
                return new Refused("topic", wanted.name(), "has " + now.partitions() + " partitions, the file asks for "
                        + wanted.partitions() + "; partitions can be added but not removed");
            }
            patch.put("partitions", wanted.partitions());
            summary.add("partitions " + now.partitions() + " -> " + wanted.partitions());
        }
        ObjectNode configs = RestClient.object();
        wanted.configs().forEach((key, value) -> {
            if (!value.equals(now.configs().get(key))) {
                configs.put(key, value);
                summary.add(key + "=" + value);
            }
        });
        if (!configs.isEmpty()) {
            patch.set("configs", configs);
        }
        return summary.isEmpty() ? new Unchanged("topic", wanted.name())
                : new Change("topic", wanted.name(), patch, String.join(", ", summary));
    }

    static Step source(SourceSpec wanted, Optional<SourceState> current) {
        if (current.isEmpty()) {
            ObjectNode body = RestClient.object().put("name", wanted.name()).put("topic", wanted.topic());
            putList(body, "headers", wanted.headers());
            putList(body, "corsOrigins", wanted.corsOrigins());
            // The API creates sources enabled; one the file wants disabled is disabled right after.
            return new Create("source", wanted.name(), body, Boolean.FALSE.equals(wanted.enabled()));
        }
        SourceState now = current.get();
        ObjectNode patch = RestClient.object();
        List<String> summary = new ArrayList<>();
        if (!wanted.topic().equals(now.topic())) {
            patch.put("topic", wanted.topic());
            summary.add("topic " + now.topic() + " -> " + wanted.topic());
        }
        // Header names are case-insensitive in HTTP, so a server may store them in another case; and neither list
        // has a meaningful order. Compare as sets so such differences do not count as changes.
        if (wanted.headers() != null && !asSet(wanted.headers(), h -> h.toLowerCase(Locale.ROOT))
                .equals(asSet(now.headers(), h -> h.toLowerCase(Locale.ROOT)))) {
            putList(patch, "headers", wanted.headers());
            summary.add("headers " + now.headers() + " -> " + wanted.headers());
        }
        if (wanted.corsOrigins() != null && !asSet(wanted.corsOrigins(), Function.identity())
                .equals(asSet(now.corsOrigins(), Function.identity()))) {
            putList(patch, "corsOrigins", wanted.corsOrigins());
            summary.add("corsOrigins " + now.corsOrigins() + " -> " + wanted.corsOrigins());
        }
        if (wanted.enabled() != null && wanted.enabled() != now.enabled()) {
            patch.put("enabled", wanted.enabled());
            summary.add(wanted.enabled() ? "enabled" : "disabled");
        }
        return summary.isEmpty() ? new Unchanged("source", wanted.name())
                : new Change("source", wanted.name(), patch, String.join(", ", summary));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper LENIENT = new com.fasterxml.jackson.databind
            .ObjectMapper().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    false);

    /**
     * A sink: topics, mapping and target are always compared (a definition needs them); conditions, compression
     * and paused only when the file names them. Compared as values (records), so key order and number types in
     * the YAML make no difference. The server shows a target's passwords masked, so the file's target is compared
     * masked too: a changed password alone goes unnoticed (change it with {@code PATCH /v1/sinks/<name>}), and
     * when anything else in the target differs the file's target is sent whole, password included.
     */
    static Step sink(SinkSpec wanted, Optional<JsonNode> current) {
        if (current.isEmpty()) {
            return new Create("sink", wanted.name(), LENIENT.valueToTree(wanted), false);
        }
        SinkSpec now;
        try {
            ObjectNode spec = current.get().deepCopy();
            spec.remove("status");
            now = LENIENT.treeToValue(spec, SinkSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CommandFailure("the server described sink " + wanted.name() + " in a form this CLI cannot read: "
                    + e.getOriginalMessage());
        }
        ObjectNode patch = RestClient.object();
        List<String> summary = new ArrayList<>();
        if (!wanted.topics().equals(now.topics())) {
            patch.set("topics", LENIENT.valueToTree(wanted.topics()));
            summary.add("topics " + now.topics() + " -> " + wanted.topics());
        }
        if (!wanted.mapping().equals(now.mapping())) {
            patch.set("mapping", LENIENT.valueToTree(wanted.mapping()));
            summary.add("mapping");
        }
        if (!wanted.target().redacted().equals(now.target())) {
            patch.set("target", LENIENT.valueToTree(wanted.target()));
            summary.add("target");
        }
        if (wanted.conditions() != null && !wanted.conditions().equals(now.conditions())) {
            patch.set("conditions", LENIENT.valueToTree(wanted.conditions()));
            summary.add("conditions");
        }
        if (wanted.compression() != null && !wanted.compression().equals(now.effectiveCompression())) {
            patch.put("compression", wanted.compression());
            summary.add("compression " + now.effectiveCompression() + " -> " + wanted.compression());
        }
        if (wanted.paused() != null && wanted.pausedNow() != now.pausedNow()) {
            patch.put("paused", wanted.pausedNow());
            summary.add(wanted.pausedNow() ? "paused" : "resumed");
        }
        return summary.isEmpty() ? new Unchanged("sink", wanted.name())
                : new Change("sink", wanted.name(), patch, String.join(", ", summary));
    }

    /**
     * A pipeline: its steps are always compared (a definition needs them), its name only when the file gives one.
     * A change replaces the pipeline ({@code PUT}, a new version) with the file's steps and the name it has then.
     * Steps are compared as JSON written and read back, so the YAML's number types and key order do not count.
     */
    static Step pipeline(PipelineSpec wanted, Optional<JsonNode> current) {
        if (current.isEmpty()) {
            return new Create("pipeline", wanted.id(), LENIENT.valueToTree(wanted), false);
        }
        PipelineSpec now;
        try {
            now = LENIENT.treeToValue(current.get(), PipelineSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CommandFailure("the server described pipeline " + wanted.id() + " in a form this CLI cannot "
                    + "read: " + e.getOriginalMessage());
        }
        List<String> summary = new ArrayList<>();
        String name = wanted.name() != null ? wanted.name() : now.name();
        if (!Objects.equals(name, now.name())) {
            summary.add("name " + quoted(now.name()) + " -> " + quoted(name));
        }
        List<StepSpec> steps = wanted.steps();
        List<StepSpec> nowSteps = now.steps() == null ? List.of() : now.steps();
        if (steps.size() != nowSteps.size()) {
            summary.add("steps " + nowSteps.size() + " -> " + steps.size());
        } else {
            List<String> changed = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                if (!canonical(steps.get(i)).equals(canonical(nowSteps.get(i)))) {
                    changed.add(steps.get(i).name() == null ? "#" + (i + 1) : steps.get(i).name());
                }
            }
            if (!changed.isEmpty()) {
                summary.add((changed.size() == 1 ? "step " : "steps ") + String.join(", ", changed));
            }
        }
        if (summary.isEmpty()) {
            return new Unchanged("pipeline", wanted.id());
        }
        ObjectNode body = LENIENT.valueToTree(new PipelineSpec(wanted.id(), name, null, steps));
        return new Change("pipeline", wanted.id(), body, String.join(", ", summary));
    }

    /**
     * An audience ({@link #audience} gets it checked, so with its service and a lower-case direction): its pipelines
     * are compared in order, since order is what they run in; {@code paused} only when the file gives it. Every
     * pipeline it names must be in the file or on the server, or nothing is applied.
     *
     * @param pipelines the ids of the pipelines in the file and on the server
     */
    static Step audience(AudienceSpec wanted, Optional<AudienceSpec> current, Set<String> pipelines) {
        List<String> missing = wanted.pipelines().stream().filter(id -> !pipelines.contains(id)).toList();
        if (!missing.isEmpty()) {
            String which = missing.size() == 1 ? "pipeline " : "pipelines ";
            return new Refused("audience", wanted.key(), "attaches " + which + String.join(", ", missing)
                    + ", which neither the file nor the server has");
        }
        ObjectNode body = RestClient.object();
        putList(body, "pipelines", wanted.pipelines());
        if (wanted.paused() != null) {
            body.put("paused", wanted.paused());
        }
        if (current.isEmpty()) {
            return new Create("audience", wanted.key(), body, false);
        }
        AudienceSpec now = current.get();
        List<String> nowPipelines = now.pipelines() == null ? List.of() : now.pipelines();
        List<String> summary = new ArrayList<>();
        if (!wanted.pipelines().equals(nowPipelines)) {
            summary.add("pipelines " + nowPipelines + " -> " + wanted.pipelines());
        }
        if (wanted.paused() != null && wanted.pausedNow() != now.pausedNow()) {
            summary.add(wanted.pausedNow() ? "paused" : "resumed");
        }
        return summary.isEmpty() ? new Unchanged("audience", wanted.key())
                : new Change("audience", wanted.key(), body, String.join(", ", summary));
    }

    /**
     * A service: unchanged when the server has the directory's version (the same files are the same version),
     * whichever version is the latest there; otherwise deployed, which makes it the latest.
     *
     * @param current the service as {@code GET /v1/services/{name}} describes it
     */
    static Step service(ServicePackage wanted, Optional<JsonNode> current) {
        String name = wanted.manifest().name();
        if (current.isEmpty()) {
            return new Deploy(name, wanted, null);
        }
        JsonNode versions = current.get().path("versions");
        for (JsonNode version : versions) {
            if (version.path("version").asText().equals(wanted.version())) {
                return new Unchanged("service", name);
            }
        }
        return new Deploy(name, wanted, versions.path(0).path("version").asText(null));
    }

    /**
     * A trigger: compared whole (service, version, filter, active), as records, so the YAML's key order does not
     * count. Its service must be in the file or on the server, and a version it pins one of theirs.
     *
     * @param versions the versions of every service in the file or on the server that the file's triggers name
     */
    static Step trigger(TriggerSpec wanted, Optional<JsonNode> current, Map<String, Set<String>> versions) {
        Set<String> known = versions.get(wanted.service());
        if (known == null) {
            return new Refused("trigger", wanted.id(), "runs service " + wanted.service()
                    + ", which neither the file nor the server has");
        }
        if (!wanted.version().equals(TriggerSpec.LATEST) && !known.contains(wanted.version())) {
            return new Refused("trigger", wanted.id(), "pins version " + wanted.version() + " of service "
                    + wanted.service() + ", which neither the file nor the server has");
        }
        ObjectNode body = LENIENT.valueToTree(wanted);
        if (current.isEmpty()) {
            return new Create("trigger", wanted.id(), body, false);
        }
        TriggerSpec now;
        try {
            now = TriggerSpec.parse(current.get().toString());
        } catch (TriggerException e) {
            throw new CommandFailure("the server described trigger " + wanted.id() + " in a form this CLI cannot "
                    + "read: " + e.getMessage());
        }
        List<String> summary = new ArrayList<>();
        if (!wanted.service().equals(now.service())) {
            summary.add("service " + now.service() + " -> " + wanted.service());
        }
        if (!wanted.version().equals(now.version())) {
            summary.add("version " + now.version() + " -> " + wanted.version());
        }
        if (!Objects.equals(wanted.filter(), now.filter())) {
            summary.add("filter");
        }
        if (wanted.active() != now.active()) {
            summary.add(wanted.active() ? "activated" : "deactivated");
        }
        return summary.isEmpty() ? new Unchanged("trigger", wanted.id())
                : new Change("trigger", wanted.id(), body, String.join(", ", summary));
    }

    /** An audience as {@code GET /v1/audiences} lists it. */
    static AudienceSpec audienceOf(JsonNode audience) {
        try {
            return LENIENT.treeToValue(audience, AudienceSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CommandFailure("the server listed an audience in a form this CLI cannot read: "
                    + e.getOriginalMessage());
        }
    }

    private static JsonNode canonical(Object value) {
        try {
            return LENIENT.readTree(LENIENT.writeValueAsBytes(value));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String quoted(String name) {
        return name == null ? "(none)" : "'" + name + "'";
    }

    private static void putList(ObjectNode body, String field, List<String> values) {
        if (values != null) {
            ArrayNode array = body.putArray(field);
            values.forEach(array::add);
        }
    }

    private static Set<String> asSet(List<String> values, Function<String, String> normalise) {
        return values.stream().map(normalise).collect(Collectors.toCollection(TreeSet::new));
    }
}
