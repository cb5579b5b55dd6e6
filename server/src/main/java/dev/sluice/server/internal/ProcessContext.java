package dev.sluice.server.internal;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the CLI may know of the process it runs in. Injected rather than read from {@link System}, so tests run
 * commands in-process with their own environment, directory and standard input.
 *
 * @param env        environment variables
 * @param workingDir the user's working directory: where {@code sluice.yaml} is found and {@code ./data} goes
 * @param hostName   the default node name
 * @param stopSignal what ends {@code sluice start} (and a {@code sluice consume} that follows a topic)
 * @param stdin      what {@code sluice produce} and {@code sluice apply -f -} read
 */
public record ProcessContext(Map<String, String> env, Path workingDir, Supplier<String> hostName,
                             StopSignal stopSignal, InputStream stdin) {

    public ProcessContext {
        env = Map.copyOf(env);
        Objects.requireNonNull(workingDir, "workingDir");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(stopSignal, "stopSignal");
        Objects.requireNonNull(stdin, "stdin");
    }

    /** A context whose standard input is the process's own, for commands that never read it. */
    public ProcessContext(Map<String, String> env, Path workingDir, Supplier<String> hostName,
                          StopSignal stopSignal) {
        this(env, workingDir, hostName, stopSignal, System.in);
    }

    /** This JVM's environment, directory and standard input, stopped by signals. */
    public static ProcessContext current() {
        return new ProcessContext(System.getenv(), Path.of("").toAbsolutePath(), HostName::local,
                new JvmStopSignal(), System.in);
    }

    /** This context reading {@code input} as its standard input. */
    public ProcessContext withStdin(InputStream input) {
        return new ProcessContext(env, workingDir, hostName, stopSignal, input);
    }
}
