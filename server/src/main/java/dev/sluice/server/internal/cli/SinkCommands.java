package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ProcessContext;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice sink ...}: table sinks through the REST API's {@code /v1/sinks}. A sink's status comes from the
 * sink engine running it (through the broker), so it may lag the definition by a couple of seconds and is absent
 * until an engine has picked the sink up.
 */
public final class SinkCommands {
    static final ResourceCommand.Kind SINK = new ResourceCommand.Kind("sink", "/v1/sinks");

    private SinkCommands() {
    }

    public static CommandLine command(ProcessContext process) {
        return new CommandLine(new Sink())
                .addSubcommand(new Create(process))
                .addSubcommand(new ListSinks(process))
                .addSubcommand(new Describe(process))
                .addSubcommand(new Pause(process))
                .addSubcommand(new Resume(process))
                .addSubcommand(new Delete(process));
    }

    static String path(String sink) {
        return SINK.path(sink);
    }

    static String target(JsonNode target) {
        String where = target.path("type").asText() + " " + target.path("table").asText();
        if (target.hasNonNull("path")) {
            where += " (" + target.path("path").asText() + ")";
        } else if (target.hasNonNull("url")) {
            where += " (" + target.path("url").asText() + ")";
        }
        return where;
    }

    static void printDetails(JsonNode sink, PrintWriter out) {
        Table table = new Table("FIELD", "VALUE");
        table.row("name", sink.path("name").asText());
        table.row("topics", String.join(", ", SourceCommands.strings(sink.path("topics"))));
        table.row("target", target(sink.path("target")));
        table.row("columns", sink.path("mapping").size());
        table.row("paused", sink.path("paused").asBoolean());
        JsonNode status = sink.path("status");
        if (status.isMissingNode() || status.isNull()) {
            table.row("state", "unknown: no sink engine has reported yet");
            out.print(table.renderRows());
            return;
        }
        table.row("state", status.path("state").asText());
        table.row("rows", status.path("rowsImported").asLong() + " imported, " + status.path("recordsWritten")
                .asLong() + " written, " + status.path("deadLettered").asLong() + " dead-lettered");
        table.row("lag", status.path("lag").asLong());
        table.row("last error", status.path("lastError").isNull() || status.path("lastError").isMissingNode()
                ? "-" : status.path("lastError").asText());
        if (status.hasNonNull("reportedAt")) {
            table.row("reported", Instant.ofEpochMilli(status.path("reportedAt").asLong()).toString());
        }
        out.print(table.renderRows());
        items(out, "FILE", status.path("files"));
        items(out, "SLICE", status.path("slices"));
    }

    private static void items(PrintWriter out, String kind, JsonNode items) {
        out.println();
        if (items.isEmpty()) {
            out.println("no " + kind.toLowerCase() + "s");
            return;
        }
        Table table = new Table(kind, "STATE", "ROWS", "BYTES");
        items.forEach(item -> table.row(item.path("id").asText(), item.path("state").asText(),
                item.path("rows").asLong(), item.path("bytes").asLong()));
        out.print(table.render());
    }

    @Command(name = "sink", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Manages table sinks: topics landed in warehouse tables (DuckDB, PostgreSQL) exactly once.")
    static final class Sink {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Creates a sink from a YAML or JSON definition (name, topics, mapping, target, and "
                    + "optionally conditions, compression, paused)."})
    static final class Create extends ClientCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "The definition, YAML or JSON, or - for standard input.")
        String file;

        Create(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            JsonNode sink = rest.post(SINK.collection(), ResourceCommand.readDefinition(process, file,
                    "a sink definition: a mapping with name, topics, mapping and target"));
            out().println("created sink " + sink.path("name").asText() + ": "
                    + String.join(", ", SourceCommands.strings(sink.path("topics"))) + " -> "
                    + target(sink.path("target")));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists sinks with their state, rows imported, lag and last error.")
    static final class ListSinks extends ClientCommand {
        ListSinks(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            Table table = new Table("SINK", "TOPICS", "TARGET", "STATE", "ROWS", "LAG", "LAST ERROR");
            for (JsonNode sink : rest.get(SINK.collection()).path("sinks")) {
                JsonNode status = sink.path("status");
                boolean known = !status.isNull() && !status.isMissingNode();
                table.row(sink.path("name").asText(), String.join(",", SourceCommands.strings(sink.path("topics"))),
                        target(sink.path("target")), known ? status.path("state").asText() : "-",
                        known ? status.path("rowsImported").asLong() : "-",
                        known ? status.path("lag").asLong() : "-",
                        known && status.hasNonNull("lastError") ? status.path("lastError").asText() : "-");
            }
            out().print(table.isEmpty() ? "no sinks\n" : table.render());
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Shows a sink and its status: files and slices with states, rows and bytes; lag; last "
                    + "error.")
    static final class Describe extends ResourceCommand.Describe {
        @Parameters(paramLabel = "NAME", description = "The sink's name.")
        String name;

        Describe(ProcessContext process) {
            super(SINK, process);
        }

        @Override
        String id() {
            return name;
        }

        @Override
        void print(RestClient rest, JsonNode sink) {
            printDetails(sink, out());
        }
    }

    /** {@code pause} and {@code resume}: the same request to a different action path. */
    abstract static class Toggle extends ResourceCommand.Action {
        @Parameters(paramLabel = "NAME", description = "The sink's name.")
        String name;

        Toggle(String action, ProcessContext process) {
            super(SINK, action, sink -> sink.path("paused").asBoolean() ? "paused" : "resumed", process);
        }

        @Override
        String id() {
            return name;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Stops importing; what was not imported yet is read again on resume.")
    static final class Pause extends Toggle {
        Pause(ProcessContext process) {
            super("pause", process);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Imports again, from where the target table's imports end.")
    static final class Resume extends Toggle {
        Resume(ProcessContext process) {
            super("resume", process);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Deletes a sink; its table, topics and dead-letter topic stay.")
    static final class Delete extends ResourceCommand.Delete {
        @Parameters(paramLabel = "NAME", description = "The sink's name.")
        String name;

        Delete(ProcessContext process) {
            super(SINK, process);
        }

        @Override
        String id() {
            return name;
        }
    }
}
