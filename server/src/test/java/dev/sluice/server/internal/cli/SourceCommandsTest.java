package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.cli.CliRunner.Result;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code sluice source} against a real Sluice, checking the printed URL by posting to it. */
@Timeout(60)
class SourceCommandsTest extends LiveSluiceTest {
    private static final Pattern URL_LINE = Pattern.compile("(?m)^url: +(\\S+)$");
    private static final Pattern SECRET_LINE = Pattern.compile("(?m)^secret: +(\\S+)$");

    @Test
    void createPrintsAWorkingIngestionUrlAndRotateReplacesIt() throws Exception {
        Result created = cli.run("source", "create", "web", "--topic", "clicks", "--header", "User-Agent",
                "--cors-origin", "https://shop.example");

        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).startsWith("created source web -> topic clicks\n");
        String url = group(URL_LINE, created.out());
        String secret = group(SECRET_LINE, created.out());
        assertThat(url).isEqualTo(sluice.url() + "/ingest/web/" + secret);
        assertThat(post(url)).isEqualTo(200);

        Result rotated = cli.run("source", "rotate-secret", "web");

        assertThat(rotated.exit()).as(rotated.err()).isZero();
        String newUrl = group(URL_LINE, rotated.out());
        assertThat(newUrl).isNotEqualTo(url).startsWith(sluice.url() + "/ingest/web/");
        assertThat(post(url)).isEqualTo(404);
        assertThat(post(newUrl)).isEqualTo(200);
        assertThat(cli.run("consume", "clicks", "--from-beginning", "--count", "2").out())
                .isEqualTo("{\"n\":1}\n{\"n\":1}\n");
    }

    @Test
    void disableStopsIngestionAndEnableResumesIt() throws Exception {
        String url = group(URL_LINE, cli.run("source", "create", "hook", "--topic", "hooks").out());

        Result disabled = cli.run("source", "disable", "hook");
        assertThat(disabled.out()).isEqualTo("source hook: disabled\n");
        assertThat(post(url)).isEqualTo(404);
        assertThat(cli.run("source", "describe", "hook").out()).containsPattern("(?m)^enabled +false$");

        assertThat(cli.run("source", "enable", "hook").out()).isEqualTo("source hook: enabled\n");
        assertThat(post(url)).isEqualTo(200);
    }

    @Test
    void listDescribeAndDelete() {
        cli.run("source", "create", "forms", "--topic", "signups", "--header", "Referer");

        Result listed = cli.run("source", "list");
        Result described = cli.run("source", "describe", "forms");
        Result deleted = cli.run("source", "delete", "forms");

        assertThat(listed.out()).containsPattern("(?m)^SOURCE +TOPIC +ENABLED +HEADERS +CORS ORIGINS$")
                .containsPattern("(?m)^forms +signups +true +Referer +-$");
        assertThat(described.out()).containsPattern("(?m)^name +forms$").containsPattern("(?m)^topic +signups$")
                .containsPattern("(?m)^url +" + Pattern.quote(sluice.url()) + "/ingest/forms/\\S+$")
                .containsPattern("(?m)^headers +Referer$");
        assertThat(deleted.out()).isEqualTo("deleted source forms\n");
        assertThat(cli.run("source", "describe", "forms").exit()).isEqualTo(1);
        assertThat(cli.run("topic", "describe", "signups").exit()).as("the topic stays").isZero();
    }

    @Test
    void unknownSourceIsExit1() {
        Result result = cli.run("source", "rotate-secret", "ghost");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("sluice: ").endsWith("(HTTP 404)\n");
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(pattern + " in\n" + text).isTrue();
        return matcher.group(1);
    }

    private static int post(String url) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
