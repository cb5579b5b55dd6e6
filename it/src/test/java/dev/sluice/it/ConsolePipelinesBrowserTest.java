package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.EmbeddedSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The console's Pipelines page in a real browser: Playwright drives Debian's Chromium headless through
 * it/src/test/js/console-pipelines.mjs against a whole node (without auth): a pipeline built in the step form (a
 * detective finds the e-mail at /user/email, a transform masks it), seen as JSON, dry-run, refused by the API with the
 * step named, saved, loaded again and changed; attached to an audience whose live tail shows a record produced through
 * the REST API before and after it; the audience paused, resumed and detached. Screenshots go to
 * target/console-screenshots (pipeline-form.png, pipeline-tail.png).
 */
class ConsolePipelinesBrowserTest {
    private static final Path JS = Path.of(System.getProperty("sluice.it.js", "src/test/js"));
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aUserBuildsAPipelineInTheFormAndWatchesItMaskAnAudiencesRecords() throws Exception {
        ExternalTool.require("node", "apt-get install nodejs");
        ExternalTool.require("chromium", "apt-get install chromium");
        boolean installed = Files.isDirectory(JS.resolve("node_modules/playwright-core"));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("playwright-core is not installed; .ci/run must run npm ci in " + JS);
        }
        assumeTrue(installed, "playwright-core is not installed: run npm ci in " + JS);
        Files.createDirectories(SCREENSHOTS);

        try (EmbeddedSluice sluice = EmbeddedSluice.builder().config("log.flush", "none").build().start()) {
            ExternalTool.Result result = ExternalTool.run(List.of("node", "console-pipelines.mjs", sluice.httpUrl(),
                    SCREENSHOTS.toAbsolutePath().toString()), null, Duration.ofSeconds(180), JS);

            assertThat(result.exitCode()).as(result.stderr() + result.stdout()).isZero();
            JsonNode saw = JSON.readTree(result.stdout().lines().reduce((a, b) -> b).orElseThrow()).path("saw");
            // The form made the pipeline the API takes: the detective on the path, the mask on what it matched.
            assertThat(saw.at("/json/steps/0/detective/type").asText()).isEqualTo("pii_email");
            assertThat(saw.at("/json/steps/0/detective/path").asText()).isEqualTo("/user/email");
            assertThat(saw.at("/json/steps/0/onError/then").asText()).isEqualTo("dead_letter");
            assertThat(saw.at("/json/steps/1/transform").toString()).isEqualTo("{\"type\":\"mask\"}");
            assertThat(saw.at("/json/steps/1/onTrue/metadata/masked").asText()).isEqualTo("email");
            assertThat(saw.at("/dryRun").asText()).contains("\"email\": \"***************\"", "masked=email")
                    .doesNotContain("ada@example.com");
            assertThat(saw.at("/saveError").asText()).contains("step 'mask-email'", "truncate", "length");
            assertThat(saw.at("/before").asText()).contains("grace@example.com");
            assertThat(saw.at("/after").asText()).contains("\"*****************\"").doesNotContain("grace@example.com");
            assertThat(saw.at("/paused").asText()).startsWith("paused");
        }
        for (String page : List.of("pipeline-form", "pipeline-tail")) {
            assertThat(SCREENSHOTS.resolve(page + ".png")).isNotEmptyFile();
        }
    }
}
