package dev.sluice.server.internal.cli;

import dev.sluice.server.internal.Cli;
import dev.sluice.server.internal.ProcessContext;
import dev.sluice.server.internal.StopSignal;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs {@code sluice} in-process, as {@code CliTest} does, with a given environment and standard input. */
final class CliRunner {
    private final Map<String, String> env;
    private final Path dir;

    CliRunner(Map<String, String> env, Path dir) {
        this.env = env;
        this.dir = dir;
    }

    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ProcessContext process = new ProcessContext(env, dir, () -> "test-host", new NeverStop(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        var cli = Cli.create(process);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** No Ctrl-C in tests: commands end by --count or by failing. */
    private static final class NeverStop implements StopSignal {
        @Override
        public void onStop(Runnable stop) {
        }

        @Override
        public void await() throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
