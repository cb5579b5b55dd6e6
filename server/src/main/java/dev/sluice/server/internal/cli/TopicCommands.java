package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ProcessContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice topic create|list|describe|delete}: topics through the REST API's {@code /v1/topics}. */
public final class TopicCommands {
    static final ResourceCommand.Kind TOPIC = new ResourceCommand.Kind("topic", "/v1/topics");

    private TopicCommands() {
    }

    /** The {@code topic} command with its subcommands, each given the process it runs in. */
    public static CommandLine command(ProcessContext process) {
        return new CommandLine(new Topic())
                .addSubcommand(new Create(process))
                .addSubcommand(new ListTopics(process))
                .addSubcommand(new Describe(process))
                .addSubcommand(new Delete(process));
    }

    static String path(String topic) {
        return TOPIC.path(topic);
    }

    @Command(name = "topic", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Creates, lists, describes and deletes topics.")
    static final class Topic {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Creates a topic.")
    static final class Create extends ClientCommand {
        @Parameters(paramLabel = "NAME", description = "The topic's name.")
        String name;

        @Option(names = "--partitions", paramLabel = "N", description = "Number of partitions (default: 1).")
        Integer partitions;

        @Option(names = "--config", paramLabel = "KEY=VALUE",
                description = "A topic config, e.g. --config retention.ms=86400000. Repeatable.")
        Map<String, String> configs = new LinkedHashMap<>();

        Create(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            ObjectNode body = RestClient.object().put("name", name);
            if (partitions != null) {
                body.put("partitions", partitions);
            }
            if (!configs.isEmpty()) {
                configs.forEach(body.putObject("configs")::put);
            }
            JsonNode topic = rest.post("/v1/topics", body);
            out().println("created topic " + name + " (" + topic.path("partitions").size() + " partition"
                    + (topic.path("partitions").size() == 1 ? "" : "s") + ")");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists topics with their partition counts.")
    static final class ListTopics extends ClientCommand {
        @Option(names = "--internal", description = "Include Sluice's internal topics.")
        boolean internal;

        ListTopics(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            Table table = new Table("TOPIC", "PARTITIONS");
            for (JsonNode topic : rest.get("/v1/topics" + (internal ? "?internal=true" : "")).path("topics")) {
                table.row(topic.path("name").asText(), topic.path("partitions").asInt());
            }
            out().print(table.isEmpty() ? "no topics\n" : table.render());
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Shows a topic's partitions (start and end offsets, size) and configs.")
    static final class Describe extends ResourceCommand.Describe {
        @Parameters(paramLabel = "NAME", description = "The topic's name.")
        String name;

        Describe(ProcessContext process) {
            super(TOPIC, process);
        }

        @Override
        String id() {
            return name;
        }

        @Override
        void print(RestClient rest, JsonNode topic) {
            out().println("topic " + topic.path("name").asText(name)
                    + (topic.hasNonNull("id") ? " (id " + topic.get("id").asText() + ")" : ""));
            Table partitions = new Table("PARTITION", "START", "END", "SIZE");
            for (JsonNode partition : topic.path("partitions")) {
                partitions.row(partition.path("partition").asInt(), partition.path("startOffset").asLong(),
                        partition.path("endOffset").asLong(), partition.path("sizeBytes").asLong());
            }
            out().print(partitions.render());
            Map<String, String> configs = new TreeMap<>();
            topic.path("configs").properties().forEach(e -> configs.put(e.getKey(), e.getValue().asText()));
            if (!configs.isEmpty()) {
                out().println();
                Table table = new Table("CONFIG", "VALUE");
                configs.forEach(table::row);
                out().print(table.render());
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Deletes a topic and its records.")
    static final class Delete extends ResourceCommand.Delete {
        @Parameters(paramLabel = "NAME", description = "The topic's name.")
        String name;

        Delete(ProcessContext process) {
            super(TOPIC, process);
        }

        @Override
        String id() {
            return name;
        }
    }
}
