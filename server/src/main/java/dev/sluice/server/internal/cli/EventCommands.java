package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ConfigException;
import dev.sluice.server.internal.ProcessContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice event send}: one CloudEvent through the REST API's {@code POST /v1/events}, which writes it to a
 * topic in Kafka binary mode for the services' triggers.
 */
public final class EventCommands {
    /** Attributes with options of their own, which an extension may not shadow. */
    private static final Set<String> ATTRIBUTES = Set.of("specversion", "id", "type", "source", "subject", "time",
            "datacontenttype", "dataschema", "data", "data_base64");

    private EventCommands() {
    }

    /** The {@code event} command with its subcommands, each given the process it runs in. */
    public static CommandLine command(ProcessContext process) {
        return new CommandLine(new EventCommand()).addSubcommand(new Send(process));
    }

    /**
     * An option's value as JSON.
     *
     * @throws ConfigException (exit 2) naming the option when it is not JSON
     */
    static JsonNode json(String option, String text) {
        try {
            return RestClient.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(option + " is not JSON: " + e.getOriginalMessage()
                    + " (quote a string as '\"text\"')", e);
        }
    }

    @Command(name = "event", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Sends CloudEvents to Sluice, where triggers route them to services.")
    static final class EventCommand {
    }

    @Command(name = "send", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Sends one CloudEvent (spec 1.0) and prints its id and where it was written.",
                    "The id defaults to a random UUID and the time to now."})
    static final class Send extends ClientCommand {
        @Option(names = "--type", required = true, paramLabel = "TYPE",
                description = "The event's type, e.g. shop.order.created.")
        String type;

        @Option(names = "--source", required = true, paramLabel = "SOURCE",
                description = "Where it comes from, a URI reference, e.g. /shop.")
        String source;

        @Option(names = "--subject", paramLabel = "SUBJECT",
                description = "What it is about; also the record's key.")
        String subject;

        @Option(names = "--id", paramLabel = "ID", description = "The event's id (default: a random UUID).")
        String id;

        @Option(names = "--data", paramLabel = "JSON", description = "The data, as JSON.")
        String data;

        @Option(names = "--topic", paramLabel = "TOPIC",
                description = "The topic to write to (default: sluice.events).")
        String topic;

        @Option(names = "--extension", paramLabel = "NAME=VALUE",
                description = "An extension attribute, e.g. --extension tenant=acme. Repeatable.")
        Map<String, String> extensions = new LinkedHashMap<>();

        Send(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            ObjectNode event = RestClient.object().put("specversion", "1.0");
            if (id != null) {
                event.put("id", id);
            }
            event.put("type", type).put("source", source);
            if (subject != null) {
                event.put("subject", subject);
            }
            extensions.forEach((name, value) -> {
                if (ATTRIBUTES.contains(name)) {
                    throw new ConfigException("--extension " + name + ": '" + name + "' is a CloudEvents attribute, "
                            + "not an extension" + (Set.of("id", "type", "source", "subject", "data").contains(name)
                            ? "; use --" + name : ""));
                }
                event.put(name, value);
            });
            if (data != null) {
                event.put("datacontenttype", "application/json").set("data", json("--data", data));
            }
            String path = "/v1/events" + (topic == null ? "" : "?topic=" + RestClient.segment(topic));
            JsonNode sent = rest.post(path, event.toString().getBytes(StandardCharsets.UTF_8),
                    "application/cloudevents+json");
            out().println("sent event " + sent.path("id").asText() + " to " + sent.path("topic").asText()
                    + " (partition " + sent.path("partition").asInt() + ", offset " + sent.path("offset").asLong()
                    + ")");
        }
    }
}
