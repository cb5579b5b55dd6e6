package dev.sluice.server;

import dev.sluice.server.internal.Cli;
import dev.sluice.server.internal.ProcessContext;

/**
 * The {@code sluice} executable: {@code sluice start [component...]}, {@code sluice config}, {@code sluice version},
 * and the clients of a running Sluice ({@code topic}, {@code produce}, {@code consume}, {@code group},
 * {@code source}, {@code apply}); {@code --help} on each. Exits 0 when done, 1 when something failed while running, 2 for bad usage or configuration.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.forArguments(ProcessContext.current(), args).execute(args));
    }
}
