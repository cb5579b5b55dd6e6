package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ProcessContext;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice connection list}: the Kafka connections of the node's broker, through {@code /v1/connections}. */
public final class ConnectionCommands {

    private ConnectionCommands() {
    }

    /** The {@code connection} command with its subcommand, given the process it runs in. */
    public static CommandLine command(ProcessContext process) {
        return new CommandLine(new Connection()).addSubcommand(new ListConnections(process));
    }

    @Command(name = "connection", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists the Kafka connections open on the node's broker.")
    static final class Connection {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists open Kafka connections: client id, library, address, and the topics and groups each"
                    + " has used.")
    static final class ListConnections extends ClientCommand {
        ListConnections(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            Table table = new Table("ID", "CLIENT", "LIBRARY", "ADDRESS", "PRODUCES", "FETCHES", "GROUPS");
            for (JsonNode connection : rest.get("/v1/connections").path("connections")) {
                String library = (connection.path("softwareName").asText("") + " "
                        + connection.path("softwareVersion").asText("")).trim();
                table.row(connection.path("id").asLong(), connection.path("clientId").asText("-"),
                        library.isEmpty() ? "-" : library, connection.path("address").asText(),
                        names(connection.path("producesTo")), names(connection.path("fetchesFrom")),
                        names(connection.path("groups")));
            }
            out().print(table.isEmpty() ? "no connections\n" : table.render());
        }

        private static String names(JsonNode array) {
            List<String> names = new ArrayList<>();
            array.forEach(name -> names.add(name.asText()));
            return names.isEmpty() ? "-" : String.join(",", names);
        }
    }
}
