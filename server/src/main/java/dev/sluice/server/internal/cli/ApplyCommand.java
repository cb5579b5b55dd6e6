package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.PipelineSpec;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ConfigException;
import dev.sluice.server.internal.ProcessContext;
import dev.sluice.server.internal.cli.ApplyFile.ServiceDir;
import dev.sluice.server.internal.cli.ApplyFile.SourceSpec;
import dev.sluice.server.internal.cli.ApplyFile.TopicSpec;
import dev.sluice.server.internal.cli.ApplyPlan.Change;
import dev.sluice.server.internal.cli.ApplyPlan.Create;
import dev.sluice.server.internal.cli.ApplyPlan.Deploy;
import dev.sluice.server.internal.cli.ApplyPlan.Refused;
import dev.sluice.server.internal.cli.ApplyPlan.SourceState;
import dev.sluice.server.internal.cli.ApplyPlan.Step;
import dev.sluice.server.internal.cli.ApplyPlan.TopicState;
import dev.sluice.server.internal.cli.ApplyPlan.Unchanged;
import dev.sluice.services.ServicePackage;
import dev.sluice.services.trigger.TriggerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice apply -f FILE}: makes the topics, sources, sinks, pipelines, audiences, services and triggers in a
 * YAML file exist as described, creating what is missing and changing only what differs, so running it twice changes
 * nothing the second time. Pipelines are applied before the audiences that name them, services before the triggers
 * that run them.
 *
 * <p>Everything is checked before anything changes: the file and the service directories it names (exit 2 on a bad
 * one), then every resource against
 * the server (exit 1 when one asks for the impossible, such as fewer partitions, or attaches a pipeline that exists
 * nowhere). The server checks a pipeline's steps only when it is created or replaced: a request failing half-way
 * still leaves the resources before it applied, the error naming the resource it failed on; running apply again
 * completes the rest.
 */
@Command(name = "apply", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
        description = {"Creates or updates the topics, HTTP sources, table sinks, pipelines, audiences (the "
                + "pipelines attached to a service, topic and direction), services (deployed from their directories) "
                + "and triggers described in a YAML file.",
                "Only what differs is changed; each resource gets one line: created, unchanged or what changed."})
public final class ApplyCommand extends ClientCommand {

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The YAML file, or - for standard input.")
    String file;

    public ApplyCommand(ProcessContext process) {
        super(process);
    }

    @Override
    void run(RestClient rest) {
        ApplyFile wanted = read();
        List<ServicePackage> packages = packages(wanted.services());
        List<Step> steps = new ArrayList<>();
        for (TopicSpec topic : wanted.topics()) {
            steps.add(ApplyPlan.topic(topic, rest.find(TopicCommands.path(topic.name())).map(TopicState::of)));
        }
        for (SourceSpec source : wanted.sources()) {
            steps.add(ApplyPlan.source(source,
                    rest.find(SourceCommands.path(source.name())).map(SourceState::of)));
        }
        for (dev.sluice.sinks.SinkSpec sink : wanted.sinks()) {
            steps.add(ApplyPlan.sink(sink, rest.find(SinkCommands.path(sink.name()))));
        }
        if (!wanted.pipelines().isEmpty() || !wanted.audiences().isEmpty()) {
            planPipelines(rest, wanted, steps);
        }
        if (!packages.isEmpty() || !wanted.triggers().isEmpty()) {
            planServices(rest, packages, wanted.triggers(), steps);
        }
        String refused = steps.stream().filter(Refused.class::isInstance).map(Refused.class::cast)
                .map(r -> r.kind() + " " + r.name() + " " + r.reason()).collect(Collectors.joining("; "));
        if (!refused.isEmpty()) {
            throw new CommandFailure(refused + " (nothing was changed)");
        }
        for (Step step : steps) {
            String done;
            try {
                done = apply(rest, step);
            } catch (CommandFailure e) {
                throw new CommandFailure(step.kind() + " " + step.name() + ": " + e.getMessage(), e);
            }
            out().println(step.kind() + " " + step.name() + ": " + done);
            out().flush();
        }
    }

    /** The pipelines, then the audiences, against what the server has: one request for each collection. */
    private static void planPipelines(RestClient rest, ApplyFile wanted, List<Step> steps) {
        Map<String, JsonNode> pipelines = new HashMap<>();
        rest.get(PipelineCommands.PIPELINE.collection()).path("pipelines")
                .forEach(pipeline -> pipelines.put(pipeline.path("id").asText(), pipeline));
        Set<String> ids = new HashSet<>(pipelines.keySet());
        for (PipelineSpec pipeline : wanted.pipelines()) {
            steps.add(ApplyPlan.pipeline(pipeline, Optional.ofNullable(pipelines.get(pipeline.id()))));
            ids.add(pipeline.id());
        }
        if (wanted.audiences().isEmpty()) {
            return;
        }
        Map<String, AudienceSpec> audiences = new HashMap<>();
        rest.get(PipelineCommands.AUDIENCE.collection()).path("audiences").forEach(node -> {
            AudienceSpec audience = ApplyPlan.audienceOf(node);
            audiences.put(audience.key(), audience);
        });
        for (AudienceSpec audience : wanted.audiences()) {
            steps.add(ApplyPlan.audience(audience, Optional.ofNullable(audiences.get(audience.key())), ids));
        }
    }

    /**
     * The services' directories packaged, relative to the file (to the working directory for standard input).
     *
     * @throws ConfigException (exit 2) when one is not a valid service, or two are the same service
     */
    private List<ServicePackage> packages(List<ServiceDir> services) {
        Path base = "-".equals(file) ? process.workingDir() : process.workingDir().resolve(file).getParent();
        List<ServicePackage> packages = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < services.size(); i++) {
            String where = file + ": services[" + i + "] (" + services.get(i).path() + ")";
            ServicePackage pkg = ServiceCommands.packageOf(base.resolve(services.get(i).path()), where);
            if (!names.add(pkg.manifest().name())) {
                throw new ConfigException(where + ": service " + pkg.manifest().name() + " is listed twice");
            }
            packages.add(pkg);
        }
        return packages;
    }

    /**
     * The services, then the triggers, against what the server has. A trigger may run a service of the file or of
     * the server; the versions of those the triggers name are read once each.
     */
    private static void planServices(RestClient rest, List<ServicePackage> packages, List<TriggerSpec> triggers,
                                     List<Step> steps) {
        Map<String, Set<String>> versions = new HashMap<>();
        for (ServicePackage pkg : packages) {
            Optional<JsonNode> current = rest.find(ServiceCommands.path(pkg.manifest().name()));
            steps.add(ApplyPlan.service(pkg, current));
            Set<String> known = versions.computeIfAbsent(pkg.manifest().name(), name -> new TreeSet<>());
            known.add(pkg.version());
            current.ifPresent(service -> known.addAll(service.path("versions").findValuesAsText("version")));
        }
        if (triggers.isEmpty()) {
            return;
        }
        for (TriggerSpec trigger : triggers) {
            if (!versions.containsKey(trigger.service())) {
                rest.find(ServiceCommands.path(trigger.service())).ifPresent(service -> versions.put(
                        trigger.service(), new TreeSet<>(service.path("versions").findValuesAsText("version"))));
            }
        }
        Map<String, JsonNode> current = new HashMap<>();
        rest.get(TriggerCommands.TRIGGER.collection()).path("triggers")
                .forEach(trigger -> current.put(trigger.path("id").asText(), trigger));
        for (TriggerSpec trigger : triggers) {
            steps.add(ApplyPlan.trigger(trigger, Optional.ofNullable(current.get(trigger.id())), versions));
        }
    }

    private String apply(RestClient rest, Step step) {
        return switch (step) {
            case Deploy deploy -> {
                JsonNode deployed = rest.post(ServiceCommands.SERVICE.collection(), deploy.pkg().zip(),
                        "application/zip");
                String version = deployed.path("version").asText();
                yield deploy.latest() == null ? "created (version " + version + ")"
                        : "deployed version " + version + " (was " + deploy.latest() + ")";
            }
            case Create create when "trigger".equals(create.kind()) -> {
                JsonNode trigger = rest.put(TriggerCommands.path(create.name()), create.body());
                yield "created (" + TriggerCommands.summary(trigger) + ")";
            }
            case Create create when "topic".equals(create.kind()) -> {
                rest.post("/v1/topics", create.body());
                yield "created";
            }
            case Create create when "sink".equals(create.kind()) -> {
                rest.post("/v1/sinks", create.body());
                yield "created";
            }
            case Create create when "pipeline".equals(create.kind()) -> {
                JsonNode pipeline = rest.post(PipelineCommands.PIPELINE.collection(), create.body());
                yield "created (version " + pipeline.path("version").asInt() + ")";
            }
            case Create create when "audience".equals(create.kind()) -> {
                JsonNode audience = rest.put(PipelineCommands.audiencePath(create.name()), create.body());
                yield "created (" + PipelineCommands.listed(audience.path("pipelines"))
                        + (audience.path("paused").asBoolean() ? ", paused" : "") + ")";
            }
            case Create create -> {
                JsonNode source = rest.post("/v1/sources", create.body());
                if (create.disableAfter()) {
                    rest.post(SourceCommands.path(create.name()) + "/disable");
                }
                yield "created" + (create.disableAfter() ? ", disabled" : "") + " (url "
                        + SourceCommands.ingestUrl(rest, source) + ")";
            }
            case Change change when "pipeline".equals(change.kind()) -> {
                JsonNode pipeline = rest.put(PipelineCommands.PIPELINE.path(change.name()), change.patch());
                yield change.summary() + " (version " + pipeline.path("version").asInt() + ")";
            }
            case Change change when "audience".equals(change.kind()) -> {
                rest.put(PipelineCommands.audiencePath(change.name()), change.patch());
                yield change.summary();
            }
            case Change change when "trigger".equals(change.kind()) -> {
                rest.put(TriggerCommands.path(change.name()), change.patch());
                yield change.summary();
            }
            case Change change -> {
                rest.patch(switch (change.kind()) {
                    case "topic" -> TopicCommands.path(change.name());
                    case "sink" -> SinkCommands.path(change.name());
                    default -> SourceCommands.path(change.name());
                }, change.patch());
                yield change.summary();
            }
            case Unchanged _ -> "unchanged";
            case Refused _ -> throw new IllegalStateException("refused steps are never applied");
        };
    }

    private ApplyFile read() {
        if ("-".equals(file)) {
            return ApplyFile.read(process.stdin(), "standard input");
        }
        Path path = process.workingDir().resolve(file);
        try (InputStream in = Files.newInputStream(path)) {
            return ApplyFile.read(in, file);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e.getMessage()), e);
        }
    }
}
