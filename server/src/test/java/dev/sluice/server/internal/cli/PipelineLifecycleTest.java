package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.cli.CliRunner.Result;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The happy paths of {@code sluice pipeline ...} and of pipelines in {@code sluice apply} against a real node: a
 * pipeline is created, listed, described, dry-run, updated, attached, paused and resumed, detached and deleted; apply
 * creates pipelines before the audiences naming them and changes nothing the second time.
 *
 * <p>Every pipeline here has {@code validJson: true} steps, which the server compiles only once the step
 * implementations are in (until then it answers 400 "validJson is not built yet").
 */
@Timeout(60)
class PipelineLifecycleTest extends LiveSluiceTest {
    private static final String CHECKS = """
            id: checks
            name: JSON only
            steps:
              - name: json
                validJson: true
                onFalse: {then: drop}
            """;

    @Test
    void createDescribeDryRunUpdateAttachPauseDetachAndDelete() throws Exception {
        Files.writeString(dir.resolve("checks.yaml"), CHECKS);

        Result created = cli.run("pipeline", "create", "-f", "checks.yaml");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("created pipeline checks (version 1, 1 step)\n");
        Result again = cli.runWithInput(CHECKS, "pipeline", "create", "-f", "-");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("sluice: pipeline 'checks' already exists (HTTP 409)\n");

        assertThat(cli.run("pipeline", "list").out()).isEqualTo("""
                ID      NAME       VERSION  STEPS  ATTACHED TO
                checks  JSON only        1      1  -
                """);
        assertThat(cli.run("pipeline", "describe", "checks").out()).isEqualTo("""
                id           checks
                name         JSON only
                version      1
                attached to  -

                #  NAME  KIND       WHAT  ON TRUE   ON FALSE  ON ERROR
                1  json  validJson  -     continue  drop      abort_pipeline
                """);

        Result passed = cli.run("pipeline", "dry-run", "checks", "--payload", "{\"a\": 1}");
        assertThat(passed.exit()).as(passed.err()).isZero();
        assertThat(passed.out()).startsWith("verdict: pass\n")
                .containsPattern("(?m)^checks +json +true +continue +-$")
                .endsWith("value: {\"a\":1}\n");
        Files.writeString(dir.resolve("payload.txt"), "not json");
        Result dropped = cli.run("pipeline", "dry-run", "-f", "checks.yaml", "--payload-file", "payload.txt");
        assertThat(dropped.exit()).as(dropped.err()).isZero();
        assertThat(dropped.out()).startsWith("verdict: drop\n").containsPattern("(?m)^checks +json +false +drop\\b")
                .endsWith("value: not json\n");

        Files.writeString(dir.resolve("checks.yaml"), CHECKS.replace("JSON only", "Only JSON")
                .replace("{then: drop}", "{then: dead_letter, topic: not-json, notify: true}"));
        Result updated = cli.run("pipeline", "update", "checks", "-f", "checks.yaml");
        assertThat(updated.exit()).as(updated.err()).isZero();
        assertThat(updated.out()).isEqualTo("updated pipeline checks (version 2, 1 step)\n");
        assertThat(cli.run("pipeline", "describe", "checks").out()).containsPattern("(?m)^version +2$")
                .containsPattern("(?m)^1 +json +validJson +- +continue +dead_letter -> not-json, notify +"
                        + "abort_pipeline$");

        Result attached = cli.run("pipeline", "attach", "--topic", "orders", "--direction", "produce", "checks");
        assertThat(attached.exit()).as(attached.err()).isZero();
        assertThat(attached.out()).isEqualTo("attached checks to */orders/produce\n");
        assertThat(cli.run("pipeline", "audiences").out()).isEqualTo("""
                SERVICE  TOPIC   DIRECTION  PIPELINES  PAUSED  PROBLEM
                *        orders  produce    checks     false   -
                """);
        assertThat(cli.run("pipeline", "list").out())
                .containsPattern("(?m)^checks +Only JSON +2 +1 +\\*/orders/produce$");
        Result refused = cli.run("pipeline", "delete", "checks");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("sluice: pipeline 'checks' is attached to [*/orders/produce]; detach it "
                + "first (HTTP 409)\n");

        assertThat(cli.run("pipeline", "pause", "--topic", "orders", "--direction", "produce").out())
                .isEqualTo("audience */orders/produce: paused\n");
        assertThat(cli.run("pipeline", "audiences").out())
                .containsPattern("(?m)^\\* +orders +produce +checks +true +-$");
        assertThat(cli.run("pipeline", "resume", "--topic", "orders", "--direction", "produce").out())
                .isEqualTo("audience */orders/produce: resumed\n");

        assertThat(cli.run("pipeline", "detach", "--topic", "orders", "--direction", "produce").out())
                .isEqualTo("detached every pipeline from */orders/produce\n");
        assertThat(cli.run("pipeline", "delete", "checks").out()).isEqualTo("deleted pipeline checks\n");
        assertThat(cli.run("pipeline", "describe", "checks").exit()).isEqualTo(1);
        assertThat(cli.run("pipeline", "audiences").out()).isEqualTo("no audiences\n");
    }

    @Test
    void applyCreatesPipelinesBeforeTheirAudiencesThenChangesOnlyWhatDiffers() throws Exception {
        String file = """
                pipelines:
                  - id: clicks-json
                    name: Clicks are JSON
                    steps:
                      - name: json
                        validJson: true
                        onFalse: {then: drop}
                audiences:
                  - topic: clicks
                    direction: consume
                    pipelines: [clicks-json]
                  - service: billing
                    topic: clicks
                    direction: produce
                    pipelines: [clicks-json]
                    paused: true
                """;
        Files.writeString(dir.resolve("pipelines.yaml"), file);

        Result first = cli.run("apply", "-f", "pipelines.yaml");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("""
                pipeline clicks-json: created (version 1)
                audience */clicks/consume: created (clicks-json)
                audience billing/clicks/produce: created (clicks-json, paused)
                """);

        Result second = cli.run("apply", "-f", "pipelines.yaml");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo("""
                pipeline clicks-json: unchanged
                audience */clicks/consume: unchanged
                audience billing/clicks/produce: unchanged
                """);

        Files.writeString(dir.resolve("pipelines.yaml"), file.replace("{then: drop}", "{then: dead_letter}")
                .replace("paused: true", "paused: false"));
        Result third = cli.run("apply", "-f", "pipelines.yaml");
        assertThat(third.exit()).as(third.err()).isZero();
        assertThat(third.out()).isEqualTo("""
                pipeline clicks-json: step json (version 2)
                audience */clicks/consume: unchanged
                audience billing/clicks/produce: resumed
                """);
        assertThat(cli.run("apply", "-f", "pipelines.yaml").out()).doesNotContain("version", "resumed");
        assertThat(cli.run("pipeline", "list").out())
                .containsPattern("(?m)^clicks-json +Clicks are JSON +2 +1 +"
                        + "\\*/clicks/consume, billing/clicks/produce$");
    }
}
