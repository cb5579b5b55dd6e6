package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ConfigException;
import dev.sluice.server.internal.ProcessContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice trigger ...}: triggers (an event filter and the service version it runs) through the REST API's
 * {@code /v1/triggers}. The server compiles a trigger's filter as the router will, so a bad expression is refused
 * when it is put, naming where it is.
 */
public final class TriggerCommands {
    static final ResourceCommand.Kind TRIGGER = new ResourceCommand.Kind("trigger", "/v1/triggers");
    static final String DEFINITION = "a trigger: a mapping with id, service, filter and optionally version and active";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private TriggerCommands() {
    }

    /** The {@code trigger} command with its subcommands, each given the process it runs in. */
    public static CommandLine command(ProcessContext process) {
        return new CommandLine(new Trigger())
                .addSubcommand(new Put(process))
                .addSubcommand(new ListTriggers(process))
                .addSubcommand(new Show(process))
                .addSubcommand(new Delete(process));
    }

    static String path(String id) {
        return TRIGGER.path(id);
    }

    @Command(name = "trigger", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Manages triggers: events that pass a trigger's filter run its service, at the version it "
                    + "names (latest by default)."})
    static final class Trigger {
    }

    @Command(name = "put", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Creates a trigger, or replaces the one with its id, from a YAML or JSON file: id, "
                    + "service, filter (exact, prefix, suffix, all, any, not, expr) and optionally version and "
                    + "active."})
    static final class Put extends ClientCommand {
        @Parameters(paramLabel = "FILE", description = "The trigger, YAML or JSON, or - for standard input.")
        String file;

        Put(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            JsonNode trigger = ResourceCommand.readDefinition(process, file, DEFINITION);
            String id = trigger.path("id").asText("");
            if (id.isEmpty()) {
                throw new ConfigException(file + " should be " + DEFINITION + "; it has no id");
            }
            boolean exists = rest.find(path(id)).isPresent();
            JsonNode saved = rest.put(path(id), trigger);
            out().println((exists ? "replaced" : "created") + " trigger " + id + ": " + summary(saved));
        }
    }

    /** {@code service hello@latest}, and {@code (inactive)} when it is. */
    static String summary(JsonNode trigger) {
        return "service " + trigger.path("service").asText() + "@" + trigger.path("version").asText()
                + (trigger.path("active").asBoolean(true) ? "" : " (inactive)");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists triggers with their service, version, whether active, and filter.")
    static final class ListTriggers extends ClientCommand {
        ListTriggers(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            Table table = new Table("TRIGGER", "SERVICE", "VERSION", "ACTIVE", "FILTER");
            for (JsonNode trigger : rest.get(TRIGGER.collection()).path("triggers")) {
                table.row(trigger.path("id").asText(), trigger.path("service").asText(),
                        trigger.path("version").asText(), trigger.path("active").asBoolean() ? "yes" : "no",
                        trigger.path("filter").toString());
            }
            out().print(table.isEmpty() ? "no triggers\n" : table.render());
        }
    }

    @Command(name = "show", aliases = "describe", mixinStandardHelpOptions = true,
            versionProvider = BuildInfo.VersionProvider.class,
            description = "Prints a trigger as YAML, the form 'put' takes.")
    static final class Show extends ResourceCommand.Describe {
        @Parameters(paramLabel = "ID", description = "The trigger's id.")
        String id;

        Show(ProcessContext process) {
            super(TRIGGER, process);
        }

        @Override
        String id() {
            return id;
        }

        @Override
        void print(RestClient rest, JsonNode trigger) {
            try {
                out().print(YAML.writeValueAsString(trigger));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a JSON tree always writes as YAML", e);
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Deletes a trigger; its service stays.")
    static final class Delete extends ResourceCommand.Delete {
        @Parameters(paramLabel = "ID", description = "The trigger's id.")
        String id;

        Delete(ProcessContext process) {
            super(TRIGGER, process);
        }

        @Override
        String id() {
            return id;
        }
    }
}
