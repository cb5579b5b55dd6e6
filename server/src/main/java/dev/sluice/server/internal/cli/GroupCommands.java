package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ProcessContext;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** {@code sluice group list|describe|reset}: consumer groups through the REST API's {@code /v1/groups}. */
public final class GroupCommands {

    private GroupCommands() {
    }

    /** The {@code group} command with its subcommands, each given the process it runs in. */
    public static CommandLine command(ProcessContext process) {
        return new CommandLine(new Group())
                .addSubcommand(new ListGroups(process))
                .addSubcommand(new Describe(process))
                .addSubcommand(new Reset(process));
    }

    static String path(String group) {
        return "/v1/groups/" + RestClient.segment(group);
    }

    /** Members, then committed offsets and lag per partition, then the total lag. */
    static void print(JsonNode group, PrintWriter out) {
        out.println("group " + group.path("groupId").asText() + " (" + group.path("state").asText("unknown") + ")");
        Table members = new Table("MEMBER", "CLIENT", "HOST", "PARTITIONS");
        for (JsonNode member : group.path("members")) {
            List<String> assigned = new ArrayList<>();
            member.path("partitions").forEach(tp -> assigned.add(tp.path("topic").asText() + "-"
                    + tp.path("partition").asInt()));
            members.row(member.path("memberId").asText(), member.path("clientId").asText(),
                    member.path("host").asText(), assigned.isEmpty() ? "-" : String.join(",", assigned));
        }
        out.print(members.isEmpty() ? "no active members\n" : members.render());
        out.println();
        Table offsets = new Table("TOPIC", "PARTITION", "COMMITTED", "END", "LAG");
        for (JsonNode offset : group.path("offsets")) {
            offsets.row(offset.path("topic").asText(), offset.path("partition").asInt(),
                    offset.path("committed").asLong(), offset.path("endOffset").asLong(), offset.path("lag").asLong());
        }
        out.print(offsets.isEmpty() ? "no committed offsets\n" : offsets.render());
        out.println("total lag: " + group.path("lag").asLong());
    }

    @Command(name = "group", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists, describes and resets consumer groups.")
    static final class Group {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists consumer groups with their state.")
    static final class ListGroups extends ClientCommand {
        ListGroups(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            Table table = new Table("GROUP", "STATE");
            for (JsonNode group : rest.get("/v1/groups").path("groups")) {
                table.row(group.path("groupId").asText(), group.path("state").asText());
            }
            out().print(table.isEmpty() ? "no groups\n" : table.render());
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Shows a group's members, committed offsets and lag.")
    static final class Describe extends ClientCommand {
        @Parameters(paramLabel = "G", description = "The group's id.")
        String group;

        Describe(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            print(rest.get(path(group)), out());
        }
    }

    /** Where {@code group reset --to} moves the offsets; the names are the API's. */
    enum Target {
        EARLIEST, LATEST, TIMESTAMP;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Moves the committed offsets of a group without active members.",
                    "--to earliest, latest, or timestamp with --timestamp MILLIS (the first record at or after it)."})
    static final class Reset extends ClientCommand {
        @Parameters(paramLabel = "G", description = "The group's id.")
        String group;

        @Option(names = "--to", required = true, paramLabel = "WHERE",
                description = "earliest, latest or timestamp.")
        Target to;

        @Option(names = "--timestamp", paramLabel = "MILLIS",
                description = "Milliseconds since the epoch; with --to timestamp.")
        Long timestamp;

        @Option(names = "--topic", paramLabel = "T",
                description = "Only this topic (default: every topic the group has offsets for).")
        String topic;

        Reset(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            if ((to == Target.TIMESTAMP) != (timestamp != null)) {
                throw new ParameterException(spec.commandLine(), to == Target.TIMESTAMP
                        ? "--to timestamp needs --timestamp MILLIS" : "--timestamp only goes with --to timestamp");
            }
            ObjectNode body = RestClient.object().put("to", to.toString());
            if (timestamp != null) {
                body.put("timestamp", timestamp);
            }
            if (topic != null) {
                body.put("topic", topic);
            }
            print(rest.post(path(group) + "/reset", body), out());
        }
    }
}
