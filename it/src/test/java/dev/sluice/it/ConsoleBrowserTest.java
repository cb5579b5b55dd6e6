package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.services.ServicePackage;
import dev.sluice.testkit.EmbeddedSluice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser: Playwright (playwright-core from npm) drives Debian's Chromium headless through
 * it/src/test/js/console.mjs against a whole node with auth on: log in, create a topic, produce and read a record,
 * mask e-mails with a pipeline and see it in the live tail, create an HTTP source and post to it, deploy a service, run
 * it by hand and read its logs. Screenshots of every page go to target/console-screenshots.
 */
class ConsoleBrowserTest {
    private static final Path JS = Path.of(System.getProperty("sluice.it.js", "src/test/js"));
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String WEBROOT = "/dev/sluice/console/webroot/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aUserLogsInAndSetsUpTopicsPipelinesSourcesAndServicesThroughTheConsole() throws Exception {
        ExternalTool.require("node", "apt-get install nodejs");
        ExternalTool.require("chromium", "apt-get install chromium");
        boolean installed = Files.isDirectory(JS.resolve("node_modules/playwright-core"));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("playwright-core is not installed; .ci/run must run npm ci in " + JS);
        }
        assumeTrue(installed, "playwright-core is not installed: run npm ci in " + JS);
        Path service = Files.createDirectories(dir.resolve("console-hello"));
        Files.writeString(service.resolve("service.yaml"), "name: console-hello\nruntime: bash\nsteps: [hello.sh]\n");
        Files.writeString(service.resolve("hello.sh"), "name=$(python3 -c 'import json; "
                + "print(json.load(open(\"event.json\"))[\"data\"][\"name\"])')\necho \"hello $name\"\n");
        Path zip = dir.resolve("console-hello.zip");
        Files.write(zip, ServicePackage.fromDirectory(service).zip());
        Files.createDirectories(SCREENSHOTS);

        try (EmbeddedSluice sluice = EmbeddedSluice.builder().config("log.flush", "none")
                .config("auth.token", "console-s3cret").build().start();
             KafkaProducer<String, String> checkout = checkoutProducer(sluice)) {
            // A plain Kafka client, connected while the console looks: the overview must show it on the graph.
            checkout.send(new ProducerRecord<>("console-payments", "order-1", "{\"amount\": 12}")).get();
            ExternalTool.Result result = ExternalTool.run(List.of("node", "console.mjs", sluice.httpUrl(),
                    SCREENSHOTS.toAbsolutePath().toString(), zip.toString(), "console-s3cret"), null,
                    Duration.ofSeconds(240), JS);

            assertThat(result.exitCode()).as(result.stderr() + result.stdout()).isZero();
            JsonNode report = JSON.readTree(result.stdout().lines().reduce((a, b) -> b).orElseThrow());
            assertThat(report.at("/saw/wrongToken").asText()).contains("not valid");
            assertThat(report.at("/saw/browsed").asText()).contains("ada@example.com");
            assertThat(report.at("/saw/tailed").asText()).doesNotContain("grace@example.com");
            assertThat(report.at("/saw/audienceAfter").asText()).contains("****************");
            // The record's headers are shown with the sample, before and after the pipelines.
            assertThat(report.at("/saw/audienceBefore").asText()).contains("trace: console-3");
            assertThat(report.at("/saw/audienceAfter").asText()).contains("trace: console-3");
            assertThat(report.at("/saw/logs").asText()).contains("hello Ada");
            assertThat(report.at("/saw/kafkaClient").asText()).contains("checkout-app").contains("apache-kafka-java")
                    .contains("produces to console-payments");
            assertThat(Long.parseLong(report.at("/saw/sinkImported").asText().trim())).isPositive();
            // Each page interactive within a second (the figure), measured from navigation to its content.
            assertThat(report.path("interactiveMs").size()).isGreaterThanOrEqualTo(7);
            report.path("interactiveMs").properties().forEach(page ->
                    assertThat(page.getValue().asLong()).as("ms until %s is interactive", page.getKey())
                            .isLessThan(1000));
        }
        for (String page : List.of("login", "topic", "pipelines", "tail", "sources", "run", "service", "sinks",
                "overview")) {
            assertThat(SCREENSHOTS.resolve(page + ".png")).isNotEmptyFile();
        }
    }

    /** A Kafka producer that logs in as the superuser (the node's auth token), with topic auto-creation. */
    private static KafkaProducer<String, String> checkoutProducer(EmbeddedSluice sluice) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sluice.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "checkout-app",
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"admin\" password=\"console-s3cret\";"),
                new StringSerializer(), new StringSerializer());
    }

    @Test
    void theFirstLoadIsUnder300KiBOfJavaScriptGzipped() throws IOException {
        String index = resource("index.html");
        Matcher scripts = Pattern.compile("(?:src|href)=\"\\./(assets/[^\"]+\\.js)\"").matcher(index);
        long gzipped = 0;
        int count = 0;
        while (scripts.find()) {
            gzipped += gzippedSize(resource(scripts.group(1)).getBytes(StandardCharsets.UTF_8));
            count++;
        }
        assertThat(count).as("scripts in index.html").isPositive();
        assertThat(gzipped).isLessThan(300 * 1024);
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = ConsoleBrowserTest.class.getResourceAsStream(WEBROOT + path)) {
            assertThat(in).as("console resource " + path + " (is the console built?)").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long gzippedSize(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.size();
    }
}
