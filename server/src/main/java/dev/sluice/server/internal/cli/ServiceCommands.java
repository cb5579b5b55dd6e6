package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ConfigException;
import dev.sluice.server.internal.ProcessContext;
import dev.sluice.services.ServiceException;
import dev.sluice.services.ServicePackage;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice service ...}: event-triggered services through the REST API's {@code /v1/services} and
 * {@code /v1/runs}. A service directory is packaged here exactly as the server stores it, so deploying the same
 * directory twice is the same version. Runs are recorded by the services engines, so a run requested here shows up
 * once an engine has picked its event up.
 */
public final class ServiceCommands {
    static final ResourceCommand.Kind SERVICE = new ResourceCommand.Kind("service", "/v1/services");

    private ServiceCommands() {
    }

    /** The {@code service} command with its subcommands, each given the process it runs in. */
    public static CommandLine command(ProcessContext process) {
        return new CommandLine(new Service())
                .addSubcommand(new Deploy(process))
                .addSubcommand(new ListServices(process))
                .addSubcommand(new Show(process))
                .addSubcommand(new Delete(process))
                .addSubcommand(new RunNow(process))
                .addSubcommand(new Runs(process))
                .addSubcommand(new Logs(process))
                .addSubcommand(new CommandLine(new Secrets())
                        .addSubcommand(new SetSecrets(process))
                        .addSubcommand(new ListSecrets(process))
                        .addSubcommand(new UnsetSecrets(process)));
    }

    static String path(String service) {
        return SERVICE.path(service);
    }

    /**
     * A service directory packaged as {@code POST /v1/services} takes it.
     *
     * @param where how messages refer to the directory
     * @throws ConfigException (exit 2) when the directory is not a valid service, naming the field or file
     */
    static ServicePackage packageOf(Path dir, String where) {
        try {
            return ServicePackage.fromDirectory(dir);
        } catch (ServiceException | UncheckedIOException e) {
            throw new ConfigException(where + ": " + e.getMessage(), e);
        }
    }

    /** {@code 250ms}, {@code 4.2s}, {@code 3m05s}, {@code 2h10m}: how long a run took, for tables. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format("%.1fs", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }

    static String textOrDash(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() || value.asText().isEmpty() ? "-"
                : value.asText();
    }

    @Command(name = "service", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Deploys and manages services: a directory with service.yaml and its scripts, run by "
                    + "triggers (see 'sluice trigger'), on a schedule or by hand."})
    static final class Service {
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Packages a service directory (service.yaml and every file under it) and deploys it as a "
                    + "new version; the same files deploy as the same version, so deploying again changes nothing.",
                    "The version deployed last is the one triggers with version 'latest' run."})
    static final class Deploy extends ClientCommand {
        @Parameters(paramLabel = "DIR", description = "The service's directory.")
        String dir;

        Deploy(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            ServicePackage pkg = packageOf(process.workingDir().resolve(dir), dir);
            JsonNode deployed = rest.post(SERVICE.collection(), pkg.zip(), "application/zip");
            out().println("deployed service " + deployed.path("service").asText() + " version "
                    + deployed.path("version").asText());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists services with their latest version, number of versions, runtime and schedule.")
    static final class ListServices extends ClientCommand {
        ListServices(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            Table table = new Table("SERVICE", "VERSION", "VERSIONS", "RUNTIME", "SCHEDULE", "MANUAL", "ACTIVE",
                    "DESCRIPTION");
            for (JsonNode service : rest.get(SERVICE.collection()).path("services")) {
                table.row(service.path("name").asText(), service.path("latestVersion").asText(),
                        service.path("versions").asInt(), service.path("runtime").asText(),
                        textOrDash(service.get("schedule")), service.path("allowManual").asBoolean() ? "yes" : "no",
                        service.path("active").asBoolean() ? "yes" : "no", textOrDash(service.get("description")));
            }
            out().print(table.isEmpty() ? "no services\n" : table.render());
        }
    }

    @Command(name = "show", aliases = "describe", mixinStandardHelpOptions = true,
            versionProvider = BuildInfo.VersionProvider.class,
            description = "Shows a service: its latest version's manifest, the secrets it needs and those set "
                    + "(names only), and every version.")
    static final class Show extends ResourceCommand.Describe {
        @Parameters(paramLabel = "NAME", description = "The service's name.")
        String name;

        Show(ProcessContext process) {
            super(SERVICE, process);
        }

        @Override
        String id() {
            return name;
        }

        @Override
        void print(RestClient rest, JsonNode service) {
            printDetails(service, out());
        }
    }

    static void printDetails(JsonNode service, PrintWriter out) {
        JsonNode latest = service.path("versions").path(0);
        JsonNode manifest = latest.path("manifest");
        Table table = new Table("FIELD", "VALUE");
        table.row("name", service.path("name").asText());
        table.row("description", textOrDash(manifest.get("description")));
        table.row("latest", latest.path("version").asText() + " (deployed " + latest.path("deployedAt").asText()
                + ")");
        table.row("runtime", manifest.path("runtime").asText());
        table.row("steps", String.join(", ", SourceCommands.strings(manifest.path("steps"))));
        table.row("timeout", manifest.path("timeout").asText());
        JsonNode retries = manifest.path("retries");
        table.row("retries", retries.path("max").asInt() + " (backoff " + retries.path("backoff").asText()
                + ", at most " + retries.path("maxBackoff").asText() + ")");
        table.row("concurrency", manifest.path("maxConcurrency").asInt());
        table.row("schedule", textOrDash(manifest.get("schedule")));
        table.row("manual runs", manifest.path("allowManual").asBoolean() ? "allowed" : "not allowed");
        table.row("active", manifest.path("active").asBoolean() ? "yes" : "no");
        List<String> environment = new ArrayList<>();
        manifest.path("environment").properties().forEach(e -> environment.add(e.getKey() + "=" + e.getValue()
                .asText()));
        table.row("environment", environment.isEmpty() ? "-" : String.join(", ", environment));
        Set<String> set = new TreeSet<>(SourceCommands.strings(service.path("secrets")));
        List<String> needed = new ArrayList<>();
        for (String secret : SourceCommands.strings(manifest.path("secrets"))) {
            needed.add(set.contains(secret) || service.hasNonNull("secretsError") ? secret : secret + " (not set)");
        }
        table.row("secrets", needed.isEmpty() ? "-" : String.join(", ", needed));
        table.row("secrets set", service.hasNonNull("secretsError") ? "unknown: "
                + service.get("secretsError").asText() : set.isEmpty() ? "-" : String.join(", ", set));
        out.print(table.renderRows());
        out.println();
        Table versions = new Table("VERSION", "DEPLOYED", "FILES");
        for (JsonNode version : service.path("versions")) {
            versions.row(version.path("version").asText(), version.path("deployedAt").asText(),
                    version.path("files").size());
        }
        out.print(versions.render());
    }

    // No mixinStandardHelpOptions here or in 'run': its -V/--version would take the --version option's name.
    @Command(name = "delete",
            description = {"Deletes a service (every version and its secrets), or one version of it.",
                    "Refused while a trigger runs it (or, for a version, pins it): delete or re-point those first."})
    static final class Delete extends ResourceCommand {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Parameters(paramLabel = "NAME", description = "The service's name.")
        String name;

        @Option(names = "--version", paramLabel = "V", description = "Delete only this version.")
        String version;

        Delete(ProcessContext process) {
            super(SERVICE, process);
        }

        @Override
        String id() {
            return name;
        }

        @Override
        void run(RestClient rest) {
            if (version == null) {
                rest.delete(path());
                out().println("deleted service " + name);
            } else {
                rest.delete(path() + "/versions/" + RestClient.segment(version));
                out().println("deleted version " + version + " of service " + name);
            }
        }
    }

    @Command(name = "run",
            description = {"Requests a run now: a dev.sluice.service.manual event on sluice.events with the data as "
                    + "its parameters. Prints the run's id; see it with 'sluice service runs' and 'logs'."})
    static final class RunNow extends ResourceCommand {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Parameters(paramLabel = "NAME", description = "The service's name.")
        String name;

        @Option(names = "--data", paramLabel = "JSON", description = "The run's parameters as JSON (default {}).")
        String data;

        @Option(names = "--version", paramLabel = "V", description = "Run this version instead of the latest.")
        String version;

        RunNow(ProcessContext process) {
            super(SERVICE, process);
        }

        @Override
        String id() {
            return name;
        }

        @Override
        void run(RestClient rest) {
            ObjectNode body = RestClient.object();
            if (data != null) {
                body.set("data", EventCommands.json("--data", data));
            }
            if (version != null) {
                body.put("version", version);
            }
            JsonNode requested = rest.post(path() + "/runs", body);
            out().println("requested run " + requested.path("runId").asText() + " of service " + name + " (event "
                    + requested.path("eventId").asText() + ")");
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists a service's runs, newest first: status, trigger, when queued, how long it ran and "
                    + "why it failed.")
    static final class Runs extends ClientCommand {
        @Parameters(paramLabel = "NAME", description = "The service's name.")
        String name;

        @Option(names = "--status", paramLabel = "S",
                description = "Only runs in this state: queued, running, succeeded, failed, timed_out, interrupted.")
        String status;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "At most this many runs (default: ${DEFAULT-VALUE}; at most 1000).")
        int limit;

        Runs(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            String query = "?service=" + RestClient.segment(name) + "&limit=" + limit
                    + (status == null ? "" : "&status=" + RestClient.segment(status));
            Table table = new Table("RUN", "STATUS", "TRIGGER", "QUEUED", "DURATION", "ERROR");
            for (JsonNode run : rest.get("/v1/runs" + query).path("runs")) {
                String took = run.hasNonNull("started") && run.hasNonNull("finished")
                        ? duration(Duration.between(Instant.parse(run.get("started").asText()),
                                Instant.parse(run.get("finished").asText()))) : "-";
                table.row(run.path("id").asText(), run.path("status").asText(), run.path("trigger").asText(),
                        run.path("queued").asText(), took,
                        textOrDash(run.get("error")).lines().findFirst().orElse("-"));
            }
            out().print(table.isEmpty() ? "no runs\n" : table.render());
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Prints a run's output: for every attempt and step, its exit and what it wrote to stdout "
                    + "and stderr.")
    static final class Logs extends ClientCommand {
        @Parameters(paramLabel = "RUN", description = "The run's id, as 'run' and 'runs' print it.")
        String run;

        Logs(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            out().print(rest.text("/v1/runs/" + RestClient.segment(run) + "/logs"));
        }
    }

    @Command(name = "secrets", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Sets, lists and removes a service's secrets. They are encrypted before they are stored "
                    + "and never shown again; steps get those their service.yaml lists as environment variables."})
    static final class Secrets {
    }

    /** What the secrets commands print: the names now set. */
    static void printNames(PrintWriter out, String service, JsonNode answer) {
        List<String> names = SourceCommands.strings(answer.path("names"));
        out.println(names.isEmpty() ? "service " + service + " has no secrets"
                : "secrets of service " + service + ": " + String.join(", ", names));
    }

    @Command(name = "set", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Sets secrets (others stay as they are).")
    static final class SetSecrets extends ResourceCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The service's name.")
        String name;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE",
                description = "The secrets, e.g. API_KEY=abc123.")
        Map<String, String> secrets = new LinkedHashMap<>();

        SetSecrets(ProcessContext process) {
            super(SERVICE, process);
        }

        @Override
        String id() {
            return name;
        }

        @Override
        void run(RestClient rest) {
            ObjectNode body = RestClient.object();
            secrets.forEach(body::put);
            printNames(out(), name, rest.patch(path() + "/secrets", body));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists the names of a service's secrets (never their values).")
    static final class ListSecrets extends ResourceCommand {
        @Parameters(paramLabel = "NAME", description = "The service's name.")
        String name;

        ListSecrets(ProcessContext process) {
            super(SERVICE, process);
        }

        @Override
        String id() {
            return name;
        }

        @Override
        void run(RestClient rest) {
            printNames(out(), name, rest.get(path() + "/secrets"));
        }
    }

    @Command(name = "unset", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Removes secrets.")
    static final class UnsetSecrets extends ResourceCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The service's name.")
        String name;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY", description = "The secrets' names.")
        List<String> keys = new ArrayList<>();

        UnsetSecrets(ProcessContext process) {
            super(SERVICE, process);
        }

        @Override
        String id() {
            return name;
        }

        @Override
        void run(RestClient rest) {
            ObjectNode body = RestClient.object();
            keys.forEach(body::putNull);
            printNames(out(), name, rest.patch(path() + "/secrets", body));
        }
    }
}
