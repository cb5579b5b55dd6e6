package dev.sluice.server.internal;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice config}: prints the effective configuration as YAML with each value's source, or the key list. */
@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
        description = {"Prints the effective configuration as YAML, with the source of each value.",
                "Takes the same flags as start; the auth token is masked."})
public final class ConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--keys", description = "Lists every key with its variable, flag, default and accepted values.")
    boolean keys;

    @Spec
    CommandSpec spec;

    private final ProcessContext process;

    public ConfigCommand(ProcessContext process) {
        this.process = process;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // The key list does not load the configuration, so it helps exactly when loading fails.
        out.print(keys ? reference() : options.load(process).toYaml());
        out.flush();
        return 0;
    }

    private static String reference() {
        StringBuilder text = new StringBuilder();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            text.append(key.name()).append("  (env ").append(key.envName())
                    .append(key.flag() == null ? "" : ", flag " + key.flag())
                    .append("; default: ").append(key.fallback().describe()).append(")\n")
                    .append("    ").append(key.meaning()).append('\n')
                    .append("    Accepts: ").append(key.type().accepted()).append('\n');
        }
        text.append("\nAny key can also be set with --set KEY=VALUE. Precedence: flags > SLUICE_* environment > ")
                .append("sluice.yaml (or --config FILE, SLUICE_CONFIG) > defaults.\n");
        return text.toString();
    }
}
