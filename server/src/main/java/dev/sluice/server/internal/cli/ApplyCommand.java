package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.PipelineSpec;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ConfigException;
import dev.sluice.server.internal.ProcessContext;
import dev.sluice.server.internal.cli.ApplyFile.SourceSpec;
import dev.sluice.server.internal.cli.ApplyFile.TopicSpec;
import dev.sluice.server.internal.cli.ApplyPlan.Change;
import dev.sluice.server.internal.cli.ApplyPlan.Create;
import dev.sluice.server.internal.cli.ApplyPlan.Refused;
import dev.sluice.server.internal.cli.ApplyPlan.SourceState;
import dev.sluice.server.internal.cli.ApplyPlan.Step;
import dev.sluice.server.internal.cli.ApplyPlan.TopicState;
import dev.sluice.server.internal.cli.ApplyPlan.Unchanged;
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
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice apply -f FILE}: makes the topics, sources, sinks, pipelines and audiences in a YAML file exist as
 * described, creating what is missing and changing only what differs, so running it twice changes nothing the second
 * time. Pipelines are applied before the audiences that name them.
 *
 * <p>Everything is checked before anything changes: the file (exit 2 on a bad one), then every resource against
 * the server (exit 1 when one asks for the impossible, such as fewer partitions, or attaches a pipeline that exists
 * nowhere). The server checks a pipeline's steps only when it is created or replaced: a request failing half-way
 * still leaves the resources before it applied, the error naming the resource it failed on; running apply again
 * completes the rest.
 */
@Command(name = "apply", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
        description = {"Creates or updates the topics, HTTP sources, table sinks, pipelines and audiences (the "
                + "pipelines attached to a service, topic and direction) described in a YAML file.",
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

    private String apply(RestClient rest, Step step) {
        return switch (step) {
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
