package dev.sluice.server.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the CLI may know of the process it runs in. Injected rather than read from {@link System}, so tests run
 * commands in-process with their own environment and directory.
 *
 * @param env        environment variables
 * @param workingDir the user's working directory: where {@code sluice.yaml} is found and {@code ./data} goes
 * @param hostName   the default node name
 * @param stopSignal what ends {@code sluice start}
 */
public record ProcessContext(Map<String, String> env, Path workingDir, Supplier<String> hostName,
                             StopSignal stopSignal) {

    public ProcessContext {
        env = Map.copyOf(env);
        Objects.requireNonNull(workingDir, "workingDir");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(stopSignal, "stopSignal");
    }

    /** This JVM's environment and directory, stopped by signals. */
    public static ProcessContext current() {
        return new ProcessContext(System.getenv(), Path.of("").toAbsolutePath(), HostName::local,
                new JvmStopSignal());
    }
}
