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

    public static CommandLine create(ProcessContext process) {
        CommandLine cli = new CommandLine(new Root())
                .addSubcommand(new StartCommand(process))
                .addSubcommand(new ConfigCommand(process))
                .addSubcommand(new VersionCommand())
                .addSubcommand(TopicCommands.command(process))
                .addSubcommand(new ProduceCommand(process))
                .addSubcommand(new ConsumeCommand(process))
                .addSubcommand(GroupCommands.command(process))
                .addSubcommand(ConnectionCommands.command(process))
                .addSubcommand(SourceCommands.command(process))
                .addSubcommand(SinkCommands.command(process))
                .addSubcommand(PipelineCommands.command(process))
                .addSubcommand(WasmCommands.command(process))
                .addSubcommand(ServiceCommands.command(process))
                .addSubcommand(TriggerCommands.command(process))
                .addSubcommand(EventCommands.command(process))
                .addSubcommand(new ApplyCommand(process))
                .addSubcommand(new HelpCommand());
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
