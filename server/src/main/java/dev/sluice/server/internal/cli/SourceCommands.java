package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ProcessContext;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice source ...}: HTTP sources through the REST API's {@code /v1/sources}. A source turns requests to
 * {@code /ingest/NAME/SECRET} into records; the commands that create or change the secret print the full URL to
 * post to, since that is what the user copies into a webhook or a page.
 */
public final class SourceCommands {
    static final ResourceCommand.Kind SOURCE = new ResourceCommand.Kind("source", "/v1/sources");

    private SourceCommands() {
    }

    /** The {@code source} command with its subcommands, each given the process it runs in. */
    public static CommandLine command(ProcessContext process) {
        return new CommandLine(new Source())
                .addSubcommand(new Create(process))
                .addSubcommand(new ListSources(process))
                .addSubcommand(new Describe(process))
                .addSubcommand(new RotateSecret(process))
                .addSubcommand(new Disable(process))
                .addSubcommand(new Enable(process))
                .addSubcommand(new Delete(process));
    }

    static String path(String source) {
        return SOURCE.path(source);
    }

    /** The address to post records to: the API's base URL and the source's {@code url} path. */
    static String ingestUrl(RestClient rest, JsonNode source) {
        String url = source.path("url").asText();
        return url.startsWith("http://") || url.startsWith("https://") ? url : rest.baseUrl() + url;
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    static void printDetails(RestClient rest, JsonNode source, PrintWriter out) {
        Table table = new Table("FIELD", "VALUE");
        table.row("name", source.path("name").asText());
        table.row("topic", source.path("topic").asText());
        table.row("enabled", source.path("enabled").asBoolean());
        table.row("url", ingestUrl(rest, source));
        table.row("secret", source.path("secret").asText());
        table.row("headers", String.join(", ", strings(source.path("headers"))));
        table.row("cors origins", String.join(", ", strings(source.path("corsOrigins"))));
        table.row("created", source.path("createdAt").asText());
        out.print(table.renderRows());
    }

    @Command(name = "source", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Manages HTTP sources: endpoints that write posted events into a topic.")
    static final class Source {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Creates an HTTP source and prints its ingestion URL and secret.",
                    "The topic is created when missing."})
    static final class Create extends ClientCommand {
        @Parameters(paramLabel = "NAME", description = "The source's name: letters, digits, '.', '_' or '-'.")
        String name;

        @Option(names = "--topic", required = true, paramLabel = "T", description = "The topic records go to.")
        String topic;

        @Option(names = "--header", paramLabel = "H",
                description = "A request header to copy into each record's headers. Repeatable.")
        List<String> headers = new ArrayList<>();

        @Option(names = "--cors-origin", paramLabel = "O",
                description = "An origin browsers may post from, or * for any. Repeatable.")
        List<String> corsOrigins = new ArrayList<>();

        Create(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            ObjectNode body = RestClient.object().put("name", name).put("topic", topic);
            if (!headers.isEmpty()) {
                ArrayNode array = body.putArray("headers");
                headers.forEach(array::add);
            }
            if (!corsOrigins.isEmpty()) {
                ArrayNode array = body.putArray("corsOrigins");
                corsOrigins.forEach(array::add);
            }
            JsonNode source = rest.post(SOURCE.collection(), body);
            out().println("created source " + name + " -> topic " + source.path("topic").asText(topic));
            out().println("url:    " + ingestUrl(rest, source));
            out().println("secret: " + source.path("secret").asText());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists HTTP sources (without their secrets; see describe).")
    static final class ListSources extends ClientCommand {
        ListSources(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            Table table = new Table("SOURCE", "TOPIC", "ENABLED", "HEADERS", "CORS ORIGINS");
            for (JsonNode source : rest.get(SOURCE.collection()).path("sources")) {
                table.row(source.path("name").asText(), source.path("topic").asText(),
                        source.path("enabled").asBoolean(), joined(source.path("headers")),
                        joined(source.path("corsOrigins")));
            }
            out().print(table.isEmpty() ? "no sources\n" : table.render());
        }

        private static String joined(JsonNode array) {
            return array.isEmpty() ? "-" : String.join(",", strings(array));
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Shows a source, with its ingestion URL and secret.")
    static final class Describe extends ResourceCommand.Describe {
        @Parameters(paramLabel = "NAME", description = "The source's name.")
        String name;

        Describe(ProcessContext process) {
            super(SOURCE, process);
        }

        @Override
        String id() {
            return name;
        }

        @Override
        void print(RestClient rest, JsonNode source) {
            printDetails(rest, source, out());
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            versionProvider = BuildInfo.VersionProvider.class,
            description = "Replaces a source's secret (the old one stops working at once) and prints the new URL.")
    static final class RotateSecret extends ClientCommand {
        @Parameters(paramLabel = "NAME", description = "The source's name.")
        String name;

        RotateSecret(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            JsonNode source = rest.post(path(name) + "/rotate-secret");
            out().println("rotated the secret of source " + name);
            out().println("url:    " + ingestUrl(rest, source));
            out().println("secret: " + source.path("secret").asText());
        }
    }

    /** {@code disable} and {@code enable}: the same request to a different action path. */
    abstract static class Toggle extends ResourceCommand.Action {
        @Parameters(paramLabel = "NAME", description = "The source's name.")
        String name;

        Toggle(String action, ProcessContext process) {
            super(SOURCE, action, source -> source.path("enabled").asBoolean() ? "enabled" : "disabled", process);
        }

        @Override
        String id() {
            return name;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Stops accepting records; ingestion answers 404 as for an unknown source.")
    static final class Disable extends Toggle {
        Disable(ProcessContext process) {
            super("disable", process);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Accepts records again.")
    static final class Enable extends Toggle {
        Enable(ProcessContext process) {
            super("enable", process);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Deletes a source; its topic and records stay.")
    static final class Delete extends ResourceCommand.Delete {
        @Parameters(paramLabel = "NAME", description = "The source's name.")
        String name;

        Delete(ProcessContext process) {
            super(SOURCE, process);
        }

        @Override
        String id() {
            return name;
        }
    }
}
