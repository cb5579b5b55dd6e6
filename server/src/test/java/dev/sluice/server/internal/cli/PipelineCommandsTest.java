package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sluice pipeline ...} and the {@code pipelines:} and {@code audiences:} of {@code sluice apply} against a real
 * node: what holds whatever the steps can do. Nothing here creates a pipeline or an audience, so the lists stay
 * empty; creating, changing and running pipelines is {@link PipelineLifecycleTest}.
 */
@Timeout(60)
class PipelineCommandsTest extends LiveSluiceTest {
    /** A step no server compiles: its detective type does not exist. */
    private static final String ODD_CHECK = """
            id: odd-check
            steps:
              - name: odd
                detective: {type: no_such_check, path: /x}
            """;

    @Test
    void listsAreEmptyOnANewNode() {
        Result pipelines = cli.run("pipeline", "list");
        Result audiences = cli.run("pipeline", "audiences");

        assertThat(pipelines.exit()).as(pipelines.err()).isZero();
        assertThat(pipelines.out()).isEqualTo("no pipelines\n");
        assertThat(audiences.exit()).as(audiences.err()).isZero();
        assertThat(audiences.out()).isEqualTo("no audiences\n");
    }

    @Test
    void attachingAPipelineThatDoesNotExistIsExit1WithTheServersMessage() {
        Result result = cli.run("pipeline", "attach", "--topic", "orders", "--direction", "produce", "ghost");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("sluice: pipelines [ghost] do not exist (HTTP 400)\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void attachingToAnInternalTopicIsRefusedByTheServer() {
        Result result = cli.run("pipeline", "attach", "--service", "billing", "--topic", "_sluice_pipelines",
                "--direction", "CONSUME", "ghost");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("sluice: topic '_sluice_pipelines' is internal: pipelines cannot be "
                + "attached to it (HTTP 400)\n");
    }

    @Test
    void unknownPipelineIsExit1ForEveryCommandOnIt() {
        for (Result result : new Result[] {
                cli.run("pipeline", "describe", "ghost"),
                cli.run("pipeline", "delete", "ghost"),
                cli.run("pipeline", "dry-run", "ghost", "--payload", "{}")}) {
            assertThat(result.exit()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("sluice: pipeline 'ghost' does not exist (HTTP 404)\n");
        }
    }

    @Test
    void audienceWithoutPipelinesIsExit1ForDetachPauseAndResume() {
        for (String command : new String[] {"detach", "pause", "resume"}) {
            Result result = cli.run("pipeline", command, "--topic", "orders", "--direction", "consume");

            assertThat(result.exit()).as(command).isEqualTo(1);
            assertThat(result.err()).as(command).isEqualTo("sluice: audience '*/orders/consume' has no pipelines "
                    + "attached (HTTP 404)\n");
        }
    }

    @Test
    void aPipelineTheServerCannotCompileIsExit1NamingTheStep() throws IOException {
        Files.writeString(dir.resolve("odd.yaml"), ODD_CHECK);

        Result created = cli.run("pipeline", "create", "-f", "odd.yaml");
        Result tried = cli.runWithInput(ODD_CHECK, "pipeline", "dry-run", "-f", "-", "--payload", "{\"x\": 1}");

        for (Result result : new Result[] {created, tried}) {
            assertThat(result.exit()).isEqualTo(1);
            assertThat(result.err()).startsWith("sluice: step 'odd': ").endsWith(" (HTTP 400)\n").hasLineCount(1);
        }
        assertThat(cli.run("pipeline", "list").out()).isEqualTo("no pipelines\n");
    }

    @Test
    void applyReportsAPipelineTheServerRefusesOnOneLineNamingIt() throws IOException {
        Result result = apply("""
                topics:
                  - name: refused-orders
                pipelines:
                  - id: odd-check
                    steps:
                      - name: odd
                        detective: {type: no_such_check, path: /x}
                """);

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEqualTo("topic refused-orders: created\n");
        assertThat(result.err()).startsWith("sluice: pipeline odd-check: step 'odd': ").endsWith(" (HTTP 400)\n")
                .hasLineCount(1);
    }

    @Test
    void applyRefusesAnAudienceWhosePipelineExistsNowhereBeforeChangingAnything() throws IOException {
        Result result = apply("""
                topics:
                  - name: never-created
                audiences:
                  - topic: never-created
                    direction: produce
                    pipelines: [ghost]
                """);

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("sluice: audience */never-created/produce attaches pipeline ghost, which "
                + "neither the file nor the server has (nothing was changed)\n");
        assertThat(cli.run("topic", "describe", "never-created").exit()).isEqualTo(1);
    }

    @Test
    void applyFileWithAMisspeltStepKeyIsExit2NamingTheLine() throws IOException {
        Result result = apply("""
                pipelines:
                  - id: checks
                    steps:
                      - name: json
                        validJosn: true
                """);

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).startsWith("sluice: ").contains("line 5: unknown key 'validJosn' in "
                + "pipelines[0].steps[0]");
    }

    @Test
    void applyFileWithABadDirectionIsExit2() throws IOException {
        Result result = apply("""
                audiences:
                  - topic: orders
                    direction: sideways
                    pipelines: [checks]
                """);

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("audiences[0] (*/orders/sideways): direction 'sideways' must be produce "
                + "or consume");
    }

    private static Result apply(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "apply", ".yaml");
        Files.writeString(file, yaml);
        return cli.run("apply", "-f", file.toString());
    }
}
