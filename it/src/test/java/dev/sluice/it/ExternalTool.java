package dev.sluice.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real external client (kcat, node) as a subprocess. A missing tool skips the test on a developer's machine
 * but fails it in CI ({@code CI=true}), where .ci/run installs every tool.
 */
final class ExternalTool {
    private ExternalTool() {
    }

    /** The result of a finished run. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    static void require(String command, String installHint) {
        boolean present = onPath(command);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(command + " is not installed; .ci/run must install it (" + installHint + ")");
        }
        assumeTrue(present, command + " is not installed (" + installHint + "); skipping");
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Path.of(dir, command).toFile().canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Runs the command with {@code stdin} as input and waits for it, failing on timeout. */
    static Result run(List<String> command, String stdin, Duration timeout, Path workDir)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process = builder.start();
        var stdout = new java.io.ByteArrayOutputStream();
        var stderr = new java.io.ByteArrayOutputStream();
        Thread out = Thread.ofPlatform().start(() -> copy(process.getInputStream(), stdout));
        Thread err = Thread.ofPlatform().start(() -> copy(process.getErrorStream(), stderr));
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            out.join();
            err.join();
            throw new AssertionError(command.getFirst() + " did not finish within " + timeout + "\nstdout: "
                    + stdout.toString(StandardCharsets.UTF_8) + "\nstderr: " + stderr.toString(StandardCharsets.UTF_8));
        }
        out.join();
        err.join();
        return new Result(process.exitValue(), stdout.toString(StandardCharsets.UTF_8),
                stderr.toString(StandardCharsets.UTF_8));
    }

    private static void copy(java.io.InputStream in, java.io.OutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // The process ended.
        }
    }
}
