package dev.sluice.server.internal;

import dev.sluice.server.internal.cli.ApplyCommand;
import dev.sluice.server.internal.cli.CommandFailure;
import dev.sluice.server.internal.cli.ConsumeCommand;
import dev.sluice.server.internal.cli.EventCommands;
import dev.sluice.server.internal.cli.ConnectionCommands;
import dev.sluice.server.internal.cli.GroupCommands;
import dev.sluice.server.internal.cli.PipelineCommands;
import dev.sluice.server.internal.cli.ProduceCommand;
import dev.sluice.server.internal.cli.ServiceCommands;
import dev.sluice.server.internal.cli.SinkCommands;
import dev.sluice.server.internal.cli.SourceCommands;
import dev.sluice.server.internal.cli.TopicCommands;
import dev.sluice.server.internal.cli.TriggerCommands;
import dev.sluice.server.internal.cli.WasmCommands;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * The {@code sluice} command line: builds the picocli command tree with its collaborators injected, and maps
 * failures to exit codes: 0 done, 1 failed while running (including every error a running Sluice answers the
 * client commands with), 2 bad usage or configuration.
 */
public final class Cli {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    /** The root command; it only holds the subcommands. */
    @Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Sluice: a Kafka-compatible broker and data platform in one binary.",
            footer = {"", "Configuration: flags > SLUICE_* environment > sluice.yaml > defaults. "
                    + "See 'sluice config --help'."})
    static final class Root {
    }

    private Cli() {
    }

    /** The whole command tree, as {@code sluice --help} lists it. */
    public static CommandLine create(ProcessContext process) {
        CommandLine cli = new CommandLine(new Root());
        subcommands(process).values().forEach(subcommand -> cli.addSubcommand(subcommand.get()));
        cli.addSubcommand(new HelpCommand());
        return configured(cli);
    }

    /**
     * The command line for these arguments: when the first one names a subcommand, a root holding only that
     * subcommand, which parses and prints usage exactly as the whole tree does. Building the whole tree reflects over
     * every command class (about a quarter of a second on two cores), which {@code sluice start} should not pay.
     */
    public static CommandLine forArguments(ProcessContext process, String... args) {
        Supplier<Object> named = args.length == 0 ? null : subcommands(process).get(args[0]);
        if (named == null) {
            return create(process);
        }
        return configured(new CommandLine(new Root()).addSubcommand(named.get()));
    }

    /** Each subcommand by its name, in the order {@code sluice --help} lists them, built only when asked for. */
    static Map<String, Supplier<Object>> subcommands(ProcessContext process) {
        Map<String, Supplier<Object>> subcommands = new LinkedHashMap<>();
        subcommands.put("start", () -> new StartCommand(process));
        subcommands.put("config", () -> new ConfigCommand(process));
        subcommands.put("version", VersionCommand::new);
        subcommands.put("topic", () -> TopicCommands.command(process));
        subcommands.put("produce", () -> new ProduceCommand(process));
        subcommands.put("consume", () -> new ConsumeCommand(process));
        subcommands.put("group", () -> GroupCommands.command(process));
        subcommands.put("connection", () -> ConnectionCommands.command(process));
        subcommands.put("source", () -> SourceCommands.command(process));
        subcommands.put("sink", () -> SinkCommands.command(process));
        subcommands.put("pipeline", () -> PipelineCommands.command(process));
        subcommands.put("wasm", () -> WasmCommands.command(process));
        subcommands.put("service", () -> ServiceCommands.command(process));
        subcommands.put("trigger", () -> TriggerCommands.command(process));
        subcommands.put("event", () -> EventCommands.command(process));
        subcommands.put("apply", () -> new ApplyCommand(process));
        return subcommands;
    }

    private static CommandLine configured(CommandLine cli) {
        // After the subcommands are added, so it reaches them: '--to earliest' for an enum constant EARLIEST.
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            if (exception instanceof ConfigException) {
                commandLine.getErr().println("sluice: " + exception.getMessage());
                commandLine.getErr().flush();
                return EXIT_USAGE;
            }
            if (exception instanceof CommandFailure) {
                commandLine.getErr().println("sluice: " + exception.getMessage());
                commandLine.getErr().flush();
                return EXIT_FAILED;
            }
            throw exception;
        });
        return cli;
    }
}
