package dev.sluice.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.SluiceConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CliTest {
    /** Starts that succeed bind free ports, so tests run beside anything on 9092 and 8080. */
    private static final Map<String, String> FREE_PORTS = Map.of("SLUICE_KAFKA_LISTEN", "127.0.0.1:0",
            "SLUICE_HTTP_LISTEN", "127.0.0.1:0");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ImmediateStop stop = new ImmediateStop();

    @Test
    void startOpensTheLogUnderTheDataDirAndStopsCleanly() {
        int exit = run(FREE_PORTS, "start", "--data-dir", "node-data");

        assertThat(exit).isZero();
        assertThat(dir.resolve("node-data/log")).isDirectory();
        assertThat(stop.ran).isTrue();
    }

    @Test
    void startAcceptsTheBrokerByName() {
        assertThat(run(FREE_PORTS, "start", "broker")).isZero();
        assertThat(dir.resolve("data/log")).isDirectory();
    }

    @Test
    void unknownComponentIsRefusedListingTheValidOnes() {
        int exit = run(Map.of(), "start", "brokr");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("unknown component 'brokr'; valid components: broker, http, control, "
                + "sink-writer, sink-coordinator, services");
    }

    @Test
    void badConfigurationStopsTheStartWithExitCode2BeforeTouchingTheDisk() {
        int exit = run(Map.of("SLUICE_LOG_FLUSH", "sometimes"), "start");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("log.flush", "env SLUICE_LOG_FLUSH", "always, interval or none");
        assertThat(dir.resolve("data")).doesNotExist();
        assertThat(stop.registered).isFalse();
    }

    @Test
    void badFlagValueNamesTheFlag() {
        int exit = run(Map.of(), "start", "--kafka-listen", "localhost");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("kafka.listen", "flag --kafka-listen", "host:port");
    }

    @Test
    void setFlagWithoutAValueIsRejected() {
        int exit = run(Map.of(), "start", "--set", "log.flush");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--set expects KEY=VALUE");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run(Map.of(), "start", "--data-directory", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("--data-directory");
    }

    @Test
    void storageFailureAtStartExitsWith1() throws IOException {
        Files.writeString(dir.resolve("data"), "a file where the data directory should be");

        int exit = run(Map.of(), "start");

        assertThat(exit).isEqualTo(1);
        assertThat(stop.ran).isFalse();
    }

    @Test
    void configPrintsEffectiveYamlWithSourcesAndMasksTheToken() {
        int exit = run(Map.of("SLUICE_AUTH_TOKEN", "s3cret"), "config", "--node-name", "n1",
                "--set", "log.flush=interval");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .containsPattern("node\\.name: n1 +# flag --node-name")
                .containsPattern("log\\.flush: interval +# flag --set")
                .containsPattern("auth\\.token: '\\*+' +# env SLUICE_AUTH_TOKEN")
                .containsPattern("log\\.segment\\.bytes: 1073741824 +# default")
                .doesNotContain("s3cret");
    }

    @Test
    void configWithoutTokenSaysSluiceRunsOpen() {
        run(Map.of(), "config");

        assertThat(out.toString()).contains("auth.token is not set");
    }

    @Test
    void configOutputLoadsBackAsTheSameConfiguration() throws IOException {
        Map<String, String> env = Map.of("SLUICE_KAFKA_LISTEN", "[::1]:9093", "SLUICE_LOG_RETENTION_MS", "-1");
        run(env, "config", "--set", "log.cleanup.policy=compact,delete", "--data-dir", "some dir/with spaces",
                "--set", "log.segment.ms=7d");
        Files.writeString(dir.resolve("printed.yaml"), out.toString());

        SluiceConfig reloaded = new ConfigLoader(Map.of(), dir, () -> "test-host")
                .load(Optional.of("printed.yaml"), List.of()).config();

        assertThat(reloaded.kafkaListen()).hasToString("[::1]:9093");
        assertThat(reloaded.dataDir()).isEqualTo(dir.resolve("some dir/with spaces"));
        assertThat(reloaded.logConfig().retentionMs()).isEqualTo(-1);
        assertThat(reloaded.logConfig().segmentMs()).isEqualTo(604_800_000L);
        assertThat(reloaded.logConfig().cleanupPolicy().kafkaName()).isEqualTo("compact,delete");
        assertThat(reloaded).isEqualTo(new ConfigLoader(env, dir, () -> "test-host").load(Optional.empty(), List.of(
                new Setting("log.cleanup.policy", "compact,delete", Source.flag("--set")),
                new Setting("data.dir", "some dir/with spaces", Source.flag("--data-dir")),
                new Setting("log.segment.ms", "7d", Source.flag("--set")))).config());
    }

    @Test
    void configKeysListsEveryKeyEvenWhenTheConfigurationIsBroken() {
        int exit = run(Map.of("SLUICE_LOG_FLUSH", "sometimes"), "config", "--keys");

        assertThat(exit).isZero();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            assertThat(out.toString()).contains(key.name() + "  (env " + key.envName());
        }
        assertThat(out.toString()).contains("log.flush  (env SLUICE_LOG_FLUSH; default: always)",
                "Accepts: always, interval or none");
    }

    @Test
    void versionPrintsTheVersion() {
        assertThat(run(Map.of(), "version")).isZero();
        assertThat(out.toString()).startsWith("sluice dev (Java ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "start", "config", "version"})
    void everyCommandHasHelp(String command) {
        String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};

        assertThat(run(Map.of(), args)).isZero();
        assertThat(out.toString()).contains("Usage: sluice");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required subcommand");
    }

    @Test
    void aSubcommandAloneParsesAndPrintsUsageAsTheWholeTreeDoes() {
        ProcessContext process = new ProcessContext(Map.of(), dir, () -> "test-host", stop);
        CommandLine whole = Cli.create(process);
        List<String> named = List.copyOf(Cli.subcommands(process).keySet());
        assertThat(whole.getSubcommands().keySet()).containsExactlyElementsOf(
                java.util.stream.Stream.concat(named.stream(), java.util.stream.Stream.of("help")).toList());
        for (String name : named) {
            CommandLine alone = Cli.forArguments(process, name, "--help");
            assertThat(alone.getSubcommands().keySet()).containsExactly(name);
            assertThat(alone.getSubcommands().get(name).getUsageMessage())
                    .isEqualTo(whole.getSubcommands().get(name).getUsageMessage());
        }
        assertThat(Cli.forArguments(process, "--help").getSubcommands()).containsKeys("start", "topic", "help");
        assertThat(Cli.forArguments(process).getSubcommands()).hasSize(named.size() + 1);
    }

    @Test
    void startThroughTheNarrowedCommandLineRunsTheNode() {
        CommandLine cli = Cli.forArguments(new ProcessContext(FREE_PORTS, dir, () -> "test-host", stop), "start");
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("start", "broker")).isZero();
        assertThat(dir.resolve("data/log")).isDirectory();
    }

    private int run(Map<String, String> env, String... args) {
        CommandLine cli = Cli.create(new ProcessContext(env, dir, () -> "test-host", stop));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** Stops as soon as the start command waits, as if Ctrl-C came right after start-up. */
    private static final class ImmediateStop implements StopSignal {
        private Runnable stop;
        boolean registered;
        boolean ran;

        @Override
        public void onStop(Runnable stop) {
            this.stop = stop;
            registered = true;
        }

        @Override
        public void await() {
            stop.run();
            ran = true;
        }
    }
}
