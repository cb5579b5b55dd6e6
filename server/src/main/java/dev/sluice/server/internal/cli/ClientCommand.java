package dev.sluice.server.internal.cli;

import dev.sluice.server.internal.ProcessContext;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a running Sluice: it gets {@code --url}/{@code --token}, a {@link RestClient} for the
 * duration of {@link #run}, and picocli's output writer (which tests capture). Failures are thrown as
 * {@link CommandFailure} and turned into exit status 1 by {@code Cli}.
 *
 * <p>Annotated fields are filled in by picocli, hence not final.
 */
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    final ProcessContext process;

    ClientCommand(ProcessContext process) {
        this.process = process;
    }

    @Override
    public final Integer call() throws Exception {
        try (RestClient rest = client.connect(process)) {
            run(rest);
        } finally {
            out().flush();
        }
        return 0;
    }

    abstract void run(RestClient rest) throws Exception;

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
