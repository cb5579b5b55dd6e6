package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.ProcessContext;
import dev.sluice.server.internal.cli.CliRunner.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client commands' behaviour that needs no running Sluice: usage, options, unreachable servers, bad files. */
class ClientCommandsOfflineTest {
    @TempDir
    Path dir;

    private String closedUrl;

    @BeforeEach
    void findAPortNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            closedUrl = "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"topic create", "topic list", "topic describe", "topic delete", "produce", "consume",
            "group list", "group describe", "group reset", "source create", "source list", "source describe",
            "source rotate-secret", "source disable", "source enable", "source delete", "apply"})
    void everyClientCommandHasHelpWithUrlAndTokenOptions(String command) {
        Result result = cli(Map.of()).run((command + " --help").split(" "));

        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("Usage: sluice " + command, "--url=URL", "--token=TOKEN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"topic", "group", "source"})
    void groupCommandsListTheirSubcommandsAndNeedOne(String command) {
        Result help = cli(Map.of()).run(command, "--help");
        Result bare = cli(Map.of()).run(command);

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: sluice " + command, "describe");
        assertThat(bare.exit()).isEqualTo(2);
        assertThat(bare.err()).contains("Missing required subcommand");
    }

    @Test
    void missingRequiredArgumentIsAUsageError() {
        Result noName = cli(Map.of()).run("topic", "create");
        Result noTopic = cli(Map.of()).run("source", "create", "web");
        Result noFile = cli(Map.of()).run("apply");

        assertThat(noName.exit()).isEqualTo(2);
        assertThat(noName.err()).contains("Missing required parameter: 'NAME'");
        assertThat(noTopic.exit()).isEqualTo(2);
        assertThat(noTopic.err()).contains("Missing required option: '--topic=T'");
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.err()).contains("--file=FILE");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertThat(cli(Map.of()).run("topic", "create", "t", "--config", "retention.ms").exit()).isEqualTo(2);
        assertThat(cli(Map.of()).run("topic", "create", "t", "--partitions", "three").exit()).isEqualTo(2);
        Result badTarget = cli(Map.of()).run("group", "reset", "g", "--to", "yesterday");
        assertThat(badTarget.exit()).isEqualTo(2);
        assertThat(badTarget.err()).contains("earliest", "latest", "timestamp");
    }

    @Test
    void resetToATimestampNeedsTheTimestamp() {
        Result result = cli(Map.of()).run("group", "reset", "g", "--to", "timestamp", "--url", closedUrl);

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--to timestamp needs --timestamp MILLIS");
    }

    @Test
    void unreachableServerIsOneLineNamingTheUrl() {
        Result result = cli(Map.of()).run("topic", "list", "--url", closedUrl);

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("sluice: cannot reach Sluice at " + closedUrl + ": ")
                .hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void urlComesFromTheEnvironmentWhenNotGiven() {
        Result result = cli(Map.of("SLUICE_URL", closedUrl + "/")).run("group", "list");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("sluice: cannot reach Sluice at " + closedUrl + ": ");
    }

    @Test
    void flagWinsOverTheEnvironment() {
        Result result = cli(Map.of("SLUICE_URL", "http://127.0.0.1:1")).run("source", "list", "--url", closedUrl);

        assertThat(result.err()).startsWith("sluice: cannot reach Sluice at " + closedUrl + ": ");
    }

    @Test
    void unreachableServerFailsEveryKindOfCommandTheSameWay() {
        CliRunner cli = cli(Map.of("SLUICE_URL", closedUrl));

        for (Result result : new Result[] {
                cli.runWithInput("a\nb\n", "produce", "orders"),
                cli.run("consume", "orders"),
                cli.run("consume", "orders", "--from-beginning"),
                cli.run("consume", "orders", "--group", "g"),
                cli.run("source", "rotate-secret", "web")}) {
            assertThat(result.exit()).isEqualTo(1);
            assertThat(result.err()).startsWith("sluice: cannot reach Sluice at " + closedUrl + ": ");
        }
    }

    @Test
    void badUrlIsAUsageError() {
        Result result = cli(Map.of()).run("topic", "list", "--url", "localhost:8080");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("bad Sluice URL 'localhost:8080' (--url)");
    }

    @Test
    void badApplyFileIsAUsageErrorBeforeAnyRequest() throws IOException {
        Files.writeString(dir.resolve("sluice-resources.yaml"), """
                topics:
                  - name: orders
                    partitions: 3
                    retention: 1d
                """);

        // The URL is unreachable: exit 2, not 1, shows nothing was sent.
        Result result = cli(Map.of("SLUICE_URL", closedUrl)).run("apply", "-f", "sluice-resources.yaml");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("sluice: sluice-resources.yaml line 4: unknown key 'retention' in "
                + "topics[0]; known keys: configs, name, partitions\n");
    }

    @Test
    void applyReadsStandardInputForDash() {
        Result result = cli(Map.of("SLUICE_URL", closedUrl)).runWithInput("topics:\n  - nam: x\n", "apply", "-f", "-");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("standard input line 2: unknown key 'nam'");
    }

    @Test
    void missingApplyFileIsAUsageError() {
        Result result = cli(Map.of()).run("apply", "-f", "nope.yaml");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("cannot read nope.yaml: no such file");
    }

    @Test
    void tokenComesFromTheFlagThenTheEnvironmentAndEmptyMeansNone() {
        ClientOptions options = new ClientOptions();
        ProcessContext withEnv = context(Map.of("SLUICE_AUTH_TOKEN", "from-env"));

        assertThat(options.token(withEnv)).contains("from-env");
        assertThat(options.token(context(Map.of("SLUICE_AUTH_TOKEN", "")))).isEmpty();
        options.token = "from-flag";
        assertThat(options.token(withEnv)).contains("from-flag");
    }

    @Test
    void defaultUrlIsTheLocalHttpListener() {
        assertThat(new ClientOptions().baseUrl(context(Map.of()))).hasToString("http://127.0.0.1:8080");
    }

    @Test
    void serverErrorShapeGivesItsMessageAndStatus() {
        ApiError error = RestClient.error(404,
                "{\"error\":{\"code\":\"topic_not_found\",\"message\":\"topic 'x' does not exist\"}}");

        assertThat(error).hasMessage("topic 'x' does not exist (HTTP 404)");
        assertThat(error.code()).isEqualTo("topic_not_found");
        assertThat(error.isNotFound()).isTrue();
        assertThat(RestClient.error(502, "<html>\n<body>Bad Gateway</body>")).hasMessage("<html> (HTTP 502)");
        assertThat(RestClient.error(500, "")).hasMessage("request failed (HTTP 500)");
    }

    private CliRunner cli(Map<String, String> env) {
        return new CliRunner(env, dir);
    }

    private ProcessContext context(Map<String, String> env) {
        return new ProcessContext(env, dir, () -> "test-host", new dev.sluice.server.internal.StopSignal() {
            @Override
            public void onStop(Runnable stop) {
            }

            @Override
            public void await() {
            }
        });
    }
}
