package dev.sluice.server.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice version}: prints the build's version and the Java it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
        description = "Prints the Sluice version and the Java runtime.")
public final class VersionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(BuildInfo.describe());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
