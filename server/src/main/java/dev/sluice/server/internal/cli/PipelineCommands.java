package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ProcessContext;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code sluice pipeline ...}: pipelines through the REST API's {@code /v1/pipelines}, and the audiences they are
 * attached to through {@code /v1/audiences}. A pipeline is a definition only; it runs once attached, in order, to an
 * audience (a service, or {@code *} for every client; a topic; a direction).
 */
public final class PipelineCommands {
    static final ResourceCommand.Kind PIPELINE = new ResourceCommand.Kind("pipeline", "/v1/pipelines");
    static final ResourceCommand.Kind AUDIENCE = new ResourceCommand.Kind("audience", "/v1/audiences");

    private static final String DEFINITION = "a pipeline definition: a mapping with id, name and steps";

    private PipelineCommands() {
    }

    /** The {@code pipeline} command with its subcommands, each given the process it runs in. */
    public static CommandLine command(ProcessContext process) {
        return new CommandLine(new Pipeline())
                .addSubcommand(new Create(process))
                .addSubcommand(new ListPipelines(process))
                .addSubcommand(new Describe(process))
                .addSubcommand(new Update(process))
                .addSubcommand(new Delete(process))
                .addSubcommand(new DryRun(process))
                .addSubcommand(new Attach(process))
                .addSubcommand(new Detach(process))
                .addSubcommand(new Pause(process))
                .addSubcommand(new Resume(process))
                .addSubcommand(new Audiences(process));
    }

    /** {@code /v1/audiences/S/T/D}: the service and topic cannot hold a '/', so the key splits back into them. */
    static String audiencePath(String key) {
        String[] parts = key.split("/", 3);
        return AUDIENCE.collection() + "/" + RestClient.segment(parts[0]) + "/" + RestClient.segment(parts[1]) + "/"
                + RestClient.segment(parts[2]);
    }

    /** The kind of a step as the file names it: the one of its kind fields that is set. */
    static String kind(JsonNode step) {
        for (String kind : List.of("detective", "transform", "schemaValidation", "wasm")) {
            if (step.path(kind).isObject()) {
                return kind;
            }
        }
        for (String kind : List.of("validJson", "inferSchema")) {
            if (step.path(kind).asBoolean()) {
                return kind;
            }
        }
        return "?";
    }

    /** What a step checks or changes, in a few words: {@code pii_email /user/email}, {@code module 3f2a... k=v}. */
    static String what(JsonNode step) {
        List<String> words = new ArrayList<>();
        switch (kind(step)) {
            case "detective" -> {
                JsonNode detective = step.path("detective");
                words.add(detective.path("type").asText());
                addIfSet(words, detective.path("path"));
                detective.path("args").forEach(arg -> words.add(arg.asText()));
                if (detective.path("negate").asBoolean()) {
                    words.add("(negated)");
                }
            }
            case "transform" -> {
                JsonNode transform = step.path("transform");
                words.add(transform.path("type").asText());
                addIfSet(words, transform.path("path"));
                if (transform.has("value")) {
                    words.add("= " + transform.get("value"));
                }
                if (transform.hasNonNull("length")) {
                    words.add(transform.get("length").asInt() + " chars");
                }
                if (transform.hasNonNull("percent")) {
                    words.add(transform.get("percent").asInt() + "%");
                }
                if (transform.path("paths").isArray()) {
                    words.add(String.join(",", SourceCommands.strings(transform.get("paths"))));
                }
                if (transform.path("flatten").asBoolean()) {
                    words.add("flattened");
                }
            }
            case "schemaValidation" -> {
                JsonNode schema = step.path("schemaValidation").path("schema");
                words.add("JSON Schema" + (schema.hasNonNull("title") ? " '" + schema.get("title").asText() + "'"
                        : ""));
            }
            case "wasm" -> {
                JsonNode wasm = step.path("wasm");
                words.add("module " + wasm.path("module").asText());
                wasm.path("args").properties().forEach(arg -> words.add(arg.getKey() + "=" + arg.getValue().asText()));
            }
            default -> words.add("-");
        }
        return String.join(" ", words);
    }

    private static void addIfSet(List<String> words, JsonNode value) {
        if (value.isTextual() && !value.asText().isEmpty()) {
            words.add(value.asText());
        }
    }

    /**
     * What happens after an answer: the action ({@code fallback} when the step names none), then its extras, e.g.
     * {@code dead_letter -> orders.invalid, header reason=pii, notify}.
     */
    static String condition(JsonNode condition, String fallback) {
        if (!condition.isObject()) {
            return fallback;
        }
        StringBuilder text = new StringBuilder(condition.path("then").asText(fallback).toLowerCase(Locale.ROOT));
        if (condition.hasNonNull("topic")) {
            text.append(" -> ").append(condition.get("topic").asText());
        }
        condition.path("metadata").properties().forEach(header -> text.append(", header ").append(header.getKey())
                .append('=').append(header.getValue().asText()));
        if (condition.path("notify").asBoolean()) {
            text.append(", notify");
        }
        if (condition.hasNonNull("webhook")) {
            text.append(", webhook ").append(condition.get("webhook").asText());
        }
        return text.toString();
    }

    static String steps(JsonNode pipeline) {
        int steps = pipeline.path("steps").size();
        return steps + " step" + (steps == 1 ? "" : "s");
    }

    static String listed(JsonNode array) {
        return array.isEmpty() ? "-" : String.join(", ", SourceCommands.strings(array));
    }

    static void printDetails(JsonNode pipeline, PrintWriter out) {
        Table fields = new Table("FIELD", "VALUE");
        fields.row("id", pipeline.path("id").asText());
        fields.row("name", pipeline.path("name").asText("-"));
        fields.row("version", pipeline.path("version").asInt());
        fields.row("attached to", listed(pipeline.path("attachedTo")));
        out.print(fields.renderRows());
        out.println();
        Table steps = new Table("#", "NAME", "KIND", "WHAT", "ON TRUE", "ON FALSE", "ON ERROR");
        int number = 1;
        for (JsonNode step : pipeline.path("steps")) {
            steps.row(number++, step.path("name").asText("-"), kind(step), what(step),
                    condition(step.path("onTrue"), "continue"), condition(step.path("onFalse"), "continue"),
                    condition(step.path("onError"), "abort_pipeline"));
        }
        out.print(steps.render());
    }

    /** A dry run's answer: the verdict, each step's answer, the headers the conditions added, and the value. */
    static void printDryRun(JsonNode result, PrintWriter out) {
        String verdict = result.path("verdict").asText();
        if (result.hasNonNull("deadLetterTopic")) {
            verdict += " -> " + result.get("deadLetterTopic").asText();
        }
        out.println("verdict: " + verdict);
        if (result.hasNonNull("reason")) {
            out.println("reason:  " + result.get("reason").asText());
        }
        out.println();
        Table steps = new Table("PIPELINE", "STEP", "OUTCOME", "THEN", "DETAIL");
        for (JsonNode step : result.path("steps")) {
            steps.row(step.path("pipeline").asText(), step.path("step").asText(), step.path("outcome").asText(),
                    step.path("then").asText("-"), step.path("detail").asText("-"));
        }
        out.print(steps.isEmpty() ? "no step ran\n" : steps.render());
        out.println();
        List<String> headers = new ArrayList<>();
        result.path("headers").properties().forEach(h -> headers.add(h.getKey() + "=" + h.getValue().asText()));
        if (!headers.isEmpty()) {
            out.println("headers: " + String.join(", ", headers));
        }
        for (JsonNode notification : result.path("notifications")) {
            out.println("notify:  " + notification.path("pipeline").asText() + " step "
                    + notification.path("step").asText() + " " + notification.path("outcome").asText()
                    + (notification.hasNonNull("detail") ? ": " + notification.get("detail").asText() : ""));
        }
        JsonNode value = result.path("value");
        out.println("value" + (result.path("changed").asBoolean() ? " (changed)" : "") + ": "
                + (value.isTextual() ? value.asText() : value.toString()));
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Manages pipelines (ordered steps that check and change records on produce or consume) "
                    + "and attaches them to audiences: a service (or * for every client), a topic and a direction."})
    static final class Pipeline {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Creates a pipeline from a YAML or JSON definition: id, optionally name, and steps, each "
                    + "with one of detective, transform, schemaValidation, validJson, inferSchema, wasm and optionally "
                    + "onTrue, onFalse, onError.",
                    "It runs once attached to an audience (see attach)."})
    static final class Create extends ClientCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "The definition, YAML or JSON, or - for standard input.")
        String file;

        Create(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            JsonNode pipeline = rest.post(PIPELINE.collection(),
                    ResourceCommand.readDefinition(process, file, DEFINITION));
            out().println("created pipeline " + pipeline.path("id").asText() + " (version "
                    + pipeline.path("version").asInt() + ", " + steps(pipeline) + ")");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists pipelines with their version, number of steps and the audiences they are attached "
                    + "to.")
    static final class ListPipelines extends ClientCommand {
        ListPipelines(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            Table table = new Table("ID", "NAME", "VERSION", "STEPS", "ATTACHED TO");
            for (JsonNode pipeline : rest.get(PIPELINE.collection()).path("pipelines")) {
                table.row(pipeline.path("id").asText(), pipeline.path("name").asText("-"),
                        pipeline.path("version").asInt(), pipeline.path("steps").size(),
                        listed(pipeline.path("attachedTo")));
            }
            out().print(table.isEmpty() ? "no pipelines\n" : table.render());
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Shows a pipeline: its version, the audiences it is attached to, and its steps with what "
                    + "each does on true, false and error.")
    static final class Describe extends ResourceCommand.Describe {
        @Parameters(paramLabel = "ID", description = "The pipeline's id.")
        String id;

        Describe(ProcessContext process) {
            super(PIPELINE, process);
        }

        @Override
        String id() {
            return id;
        }

        @Override
        void print(RestClient rest, JsonNode pipeline) {
            printDetails(pipeline, out());
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Replaces a pipeline's name and steps with a definition's; its version goes up by one.",
                    "Attached audiences run the new version from the next record."})
    static final class Update extends ResourceCommand {
        @Parameters(paramLabel = "ID", description = "The pipeline's id.")
        String id;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "The definition, YAML or JSON, or - for standard input; its id, if any, must be ID.")
        String file;

        Update(ProcessContext process) {
            super(PIPELINE, process);
        }

        @Override
        String id() {
            return id;
        }

        @Override
        void run(RestClient rest) {
            JsonNode pipeline = rest.put(path(), readDefinition(process, file, DEFINITION));
            out().println("updated pipeline " + id + " (version " + pipeline.path("version").asInt() + ", "
                    + steps(pipeline) + ")");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Deletes a pipeline; refused while it is attached to an audience (detach it first).")
    static final class Delete extends ResourceCommand.Delete {
        @Parameters(paramLabel = "ID", description = "The pipeline's id.")
        String id;

        Delete(ProcessContext process) {
            super(PIPELINE, process);
        }

        @Override
        String id() {
            return id;
        }
    }

    /** The record value a dry run tries: exactly one of the two options. */
    static final class Payload {
        @Option(names = "--payload", required = true, paramLabel = "VALUE",
                description = "The record's value as it would be produced, e.g. '{\"email\": \"a@b.example\"}'.")
        String text;

        @Option(names = "--payload-file", required = true, paramLabel = "FILE",
                description = "A file holding the record's value, or - for standard input.")
        String file;
    }

    @Command(name = "dry-run", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Runs a saved pipeline (ID) or a definition that is not saved (-f FILE) on a sample "
                    + "record value, and prints the verdict, every step's outcome and what followed, and the value "
                    + "after the pipeline. Nothing is written."})
    static final class DryRun extends ClientCommand {
        @Parameters(paramLabel = "ID", arity = "0..1", description = "A saved pipeline's id.")
        String id;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE",
                description = "A definition to try instead, YAML or JSON, or - for standard input.")
        String file;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Payload payload;

        @Option(names = "--topic", paramLabel = "T",
                description = "The topic the record is for, as dead_letter's default topic shows (default: dry-run).")
        String topic;

        DryRun(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            if ((id == null) == (file == null)) {
                throw new ParameterException(spec.commandLine(), id == null
                        ? "give the pipeline's ID, or -f FILE for a definition that is not saved"
                        : "give the pipeline's ID or -f FILE, not both");
            }
            if ("-".equals(file) && "-".equals(payload.file)) {
                throw new ParameterException(spec.commandLine(),
                        "-f and --payload-file cannot both read standard input");
            }
            byte[] value = payload.text != null ? payload.text.getBytes(StandardCharsets.UTF_8)
                    : ResourceCommand.readBytes(process, payload.file);
            // Base64, so the server runs the exact bytes: text that is not JSON, or JSON with its own spacing.
            ObjectNode body = RestClient.object().put("payloadBase64", Base64.getEncoder().encodeToString(value));
            if (topic != null) {
                body.put("topic", topic);
            }
            JsonNode result;
            if (file != null) {
                body.set("pipeline", ResourceCommand.readDefinition(process, file, DEFINITION));
                result = rest.post(PIPELINE.collection() + "/dry-run", body);
            } else {
                result = rest.post(PIPELINE.path(id) + "/dry-run", body);
            }
            printDryRun(result, out());
        }
    }

    /**
     * Produce or consume: the names are the API's, in lower case because picocli's message for a bad value lists
     * the constants as they are named (upper case is accepted too).
     */
    enum Direction {
        produce, consume
    }

    /** {@code --service}, {@code --topic} and {@code --direction}: which audience a command is about. */
    static final class AudienceOptions {
        @Option(names = "--service", paramLabel = "S", defaultValue = "*",
                description = "A client's client.id or an SDK's service name, or * for every client (default).")
        String service;

        @Option(names = "--topic", required = true, paramLabel = "T", description = "The topic.")
        String topic;

        @Option(names = "--direction", required = true, paramLabel = "D",
                description = "produce (before records are written) or consume (before they are delivered).")
        Direction direction;

        String key() {
            return service + "/" + topic + "/" + direction;
        }
    }

    @Command(name = "attach", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Attaches pipelines to an audience, in the order given, replacing what was attached.",
                    "Takes effect at once, without restarting clients; a paused audience stays paused."})
    static final class Attach extends ClientCommand {
        @Mixin
        AudienceOptions audience;

        @Parameters(paramLabel = "PIPELINE", arity = "1..*", description = "Pipeline ids, in the order they run.")
        List<String> pipelines;

        Attach(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            ObjectNode body = RestClient.object();
            ArrayNode ids = body.putArray("pipelines");
            pipelines.forEach(ids::add);
            JsonNode saved = rest.put(audiencePath(audience.key()), body);
            out().println("attached " + String.join(", ", pipelines) + " to " + audience.key()
                    + (saved.path("paused").asBoolean() ? " (paused: resume to run them)" : ""));
        }
    }

    @Command(name = "detach", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Detaches every pipeline from an audience; its records pass untouched.")
    static final class Detach extends ClientCommand {
        @Mixin
        AudienceOptions audience;

        Detach(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            rest.delete(audiencePath(audience.key()));
            out().println("detached every pipeline from " + audience.key());
        }
    }

    /** {@code pause} and {@code resume}: the same request to a different action path. */
    abstract static class Toggle extends ResourceCommand.Action {
        @Mixin
        AudienceOptions audience;

        Toggle(String action, ProcessContext process) {
            super(AUDIENCE, action, saved -> saved.path("paused").asBoolean() ? "paused" : "resumed", process);
        }

        @Override
        String id() {
            return audience.key();
        }

        @Override
        String path() {
            return audiencePath(audience.key());
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Stops running an audience's pipelines (records pass untouched) until resumed.")
    static final class Pause extends Toggle {
        Pause(ProcessContext process) {
            super("pause", process);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Runs an audience's pipelines again.")
    static final class Resume extends Toggle {
        Resume(ProcessContext process) {
            super("resume", process);
        }
    }

    @Command(name = "audiences", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists audiences with their pipelines in order, whether paused, and why a pipeline is not "
                    + "running.")
    static final class Audiences extends ClientCommand {
        Audiences(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            Table table = new Table("SERVICE", "TOPIC", "DIRECTION", "PIPELINES", "PAUSED", "PROBLEM");
            for (JsonNode audience : rest.get(AUDIENCE.collection()).path("audiences")) {
                table.row(audience.path("service").asText(), audience.path("topic").asText(),
                        audience.path("direction").asText(), listed(audience.path("pipelines")),
                        audience.path("paused").asBoolean(), audience.path("problem").asText("-"));
            }
            out().print(table.isEmpty() ? "no audiences\n" : table.render());
        }
    }
}
