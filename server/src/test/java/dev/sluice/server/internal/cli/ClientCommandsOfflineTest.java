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
            "source rotate-secret", "source disable", "source enable", "source delete", "sink create", "sink list",
            "sink describe", "sink pause", "sink resume", "sink delete", "pipeline create", "pipeline list",
            "pipeline describe", "pipeline update", "pipeline delete", "pipeline dry-run", "pipeline attach",
            "pipeline detach", "pipeline pause", "pipeline resume", "pipeline audiences", "wasm upload", "wasm list",
            "wasm delete", "service deploy", "service list", "service show", "service delete", "service run",
            "service runs", "service logs", "service secrets set", "service secrets list", "service secrets unset",
            "trigger put", "trigger list", "trigger show", "trigger delete", "event send", "apply"})
    void everyClientCommandHasHelpWithUrlAndTokenOptions(String command) {
        Result result = cli(Map.of()).run((command + " --help").split(" "));

        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("Usage: sluice " + command, "--url=URL", "--token=TOKEN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"topic", "group", "source", "sink", "pipeline", "wasm", "service", "service secrets",
            "trigger"})
    void groupCommandsListTheirSubcommandsAndNeedOne(String command) {
        Result help = cli(Map.of()).run((command + " --help").split(" "));
        Result bare = cli(Map.of()).run(command.split(" "));

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: sluice " + command, "list");
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
    void resourceParametersSayWhoseNameOrIdTheyAre() {
        assertThat(cli(Map.of()).run("sink", "delete", "--help").out()).contains("NAME", "The sink's name.");
        assertThat(cli(Map.of()).run("pipeline", "describe", "--help").out()).contains("ID", "The pipeline's id.");
        assertThat(cli(Map.of()).run("pipeline", "pause", "--help").out())
                .contains("--service=S", "--topic=T", "--direction=D");
    }

    @Test
    void directionIsProduceOrConsumeBeforeAnyRequest() {
        Result result = cli(Map.of("SLUICE_URL", closedUrl)).run("pipeline", "attach", "--topic", "orders",
                "--direction", "sideways", "checks");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("Invalid value for option '--direction'", "[produce, consume]",
                "'sideways'");
        assertThat(cli(Map.of("SLUICE_URL", closedUrl)).run("pipeline", "attach", "--topic", "orders",
                "--direction", "produce").err()).contains("Missing required parameter: 'PIPELINE'");
    }

    @Test
    void dryRunNeedsOnePipelineAndOnePayload() {
        CliRunner cli = cli(Map.of("SLUICE_URL", closedUrl));

        Result neither = cli.run("pipeline", "dry-run", "--payload", "{}");
        Result both = cli.run("pipeline", "dry-run", "checks", "-f", "p.yaml", "--payload", "{}");
        Result noPayload = cli.run("pipeline", "dry-run", "checks");
        Result twoPayloads = cli.run("pipeline", "dry-run", "checks", "--payload", "{}", "--payload-file", "p.json");
        Result twoStdins = cli.run("pipeline", "dry-run", "-f", "-", "--payload-file", "-");

        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("give the pipeline's ID, or -f FILE for a definition that is not saved");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("give the pipeline's ID or -f FILE, not both");
        assertThat(noPayload.exit()).isEqualTo(2);
        assertThat(noPayload.err()).contains("--payload=VALUE", "--payload-file=FILE");
        assertThat(twoPayloads.exit()).isEqualTo(2);
        assertThat(twoPayloads.err()).contains("mutually exclusive");
        assertThat(twoStdins.exit()).isEqualTo(2);
        assertThat(twoStdins.err()).contains("cannot both read standard input");
    }

    @Test
    void badDefinitionFilesAreUsageErrorsBeforeAnyRequest() throws IOException {
        CliRunner cli = cli(Map.of("SLUICE_URL", closedUrl));
        Files.writeString(dir.resolve("broken.yaml"), "id: checks\nsteps: [validJson: true\n");
        Files.writeString(dir.resolve("list.yaml"), "- id: checks\n");

        Result missing = cli.run("pipeline", "create", "-f", "nope.yaml");
        Result broken = cli.run("pipeline", "update", "checks", "-f", "broken.yaml");
        Result list = cli.run("pipeline", "create", "-f", "list.yaml");
        Result stdin = cli.runWithInput("plain text", "pipeline", "create", "-f", "-");
        Result payload = cli.run("pipeline", "dry-run", "checks", "--payload-file", "nope.json");
        Result module = cli.run("wasm", "upload", "nope.wasm");

        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("sluice: cannot read nope.yaml: no such file\n");
        assertThat(broken.exit()).isEqualTo(2);
        assertThat(broken.err()).startsWith("sluice: broken.yaml is not valid YAML or JSON: ");
        assertThat(list.exit()).isEqualTo(2);
        assertThat(list.err()).isEqualTo("sluice: list.yaml should be a pipeline definition: a mapping with id, name "
                + "and steps\n");
        assertThat(stdin.exit()).isEqualTo(2);
        assertThat(stdin.err()).startsWith("sluice: standard input should be a pipeline definition");
        assertThat(payload.exit()).isEqualTo(2);
        assertThat(payload.err()).isEqualTo("sluice: cannot read nope.json: no such file\n");
        assertThat(module.exit()).isEqualTo(2);
        assertThat(module.err()).isEqualTo("sluice: cannot read nope.wasm: no such file\n");
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
