package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.services.RunRecord;
import dev.sluice.services.SecretBox;
import dev.sluice.services.ServiceCatalog;
import dev.sluice.services.ServicePackage;
import dev.sluice.services.ServiceTopics;
import dev.sluice.services.trigger.CloudEventCodec;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.EventData;
import dev.sluice.services.trigger.ServiceRunEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/services} and {@code /v1/triggers} against a real broker and HTTP component: deploying packages,
 * secrets sealed before they reach the topic, triggers checked as the router checks them, and manual runs as
 * events on {@code sluice.events} that any Kafka consumer can read.
 */
class ServiceRoutesTest {
    static final String HELLO = """
            name: hello
            description: says hello
            runtime: bash
            steps: [hello.sh]
            timeout: 5s
            secrets: [API_KEY]
            """;

    @TempDir
    Path dir;

    private SecretBox box;
    private HttpFixture sluice;

    @BeforeEach
    void start() throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        box = new SecretBox(key);
        sluice = new HttpFixture(dir.resolve("broker"), null, config -> config.withServicesSecrets(box));
    }

    @AfterEach
    void stop() {
        sluice.close();
    }

    /** A service directory with {@code service.yaml} and one bash step, packaged as the CLI packages it. */
    ServicePackage service(String name, String yaml, String script) throws IOException {
        Path service = Files.createDirectories(dir.resolve("services").resolve(name));
        Files.writeString(service.resolve("service.yaml"), yaml);
        Files.writeString(service.resolve("hello.sh"), script);
        return ServicePackage.fromDirectory(service);
    }

    HttpFixture.Reply deploy(byte[] zip) {
        return sluice.post("/v1/services", zip, "application/zip");
    }

    static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(sluice.kafkaConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(200)).records(tp).forEach(records::add);
            }
            return records;
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aPackageDeploysOnceThenListsDescribesDownloadsAndDeletes() throws Exception {
        ServicePackage first = service("hello", HELLO, "echo hello\n");

        HttpFixture.Reply deployed = deploy(first.zip());
        assertThat(deployed.status()).as(deployed.text()).isEqualTo(201);
        assertThat(deployed.json().path("service").asText()).isEqualTo("hello");
        assertThat(deployed.json().path("version").asText()).isEqualTo(first.version());
        assertThat(deployed.json().path("manifest").path("runtime").asText()).isEqualTo("bash");
        assertThat(deployed.json().path("manifest").path("timeout").asText()).isEqualTo("PT5S");
        assertThat(deployed.json().path("manifest").path("secrets").get(0).asText()).isEqualTo("API_KEY");
        assertThat(deployed.json().path("files").toString()).isEqualTo("[\"hello.sh\",\"service.yaml\"]");

        HttpFixture.Reply again = deploy(first.zip());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("deployedAt")).isEqualTo(deployed.json().path("deployedAt"));

        ServicePackage second = service("hello2", HELLO, "echo hello again\n");
        assertThat(deploy(second.zip()).status()).isEqualTo(201);

        JsonNode listed = sluice.get("/v1/services").json().path("services");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("name").asText()).isEqualTo("hello");
        assertThat(listed.get(0).path("latestVersion").asText()).isEqualTo(second.version());
        assertThat(listed.get(0).path("versions").asInt()).isEqualTo(2);
        assertThat(listed.get(0).path("runtime").asText()).isEqualTo("bash");
        assertThat(listed.get(0).path("description").asText()).isEqualTo("says hello");
        assertThat(listed.get(0).path("allowManual").asBoolean()).isTrue();
        assertThat(listed.get(0).get("schedule").isNull()).isTrue();

        JsonNode described = sluice.get("/v1/services/hello").json();
        assertThat(described.path("latestVersion").asText()).isEqualTo(second.version());
        assertThat(described.path("versions").findValuesAsText("version"))
                .containsExactly(second.version(), first.version());
        assertThat(described.path("secrets")).isEmpty();

        HttpResponse<byte[]> download = sluice.client.send(HttpRequest.newBuilder(URI.create(sluice.url()
                + "/v1/services/hello/versions/" + first.version() + "/package")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(download.body()).isEqualTo(first.zip());

        assertThat(sluice.delete("/v1/services/hello/versions/" + first.version()).status()).isEqualTo(204);
        assertThat(sluice.get("/v1/services/hello").json().path("versions")).hasSize(1);
        HttpFixture.Reply goneVersion = sluice.delete("/v1/services/hello/versions/" + first.version());
        assertThat(goneVersion.status()).isEqualTo(404);
        assertThat(goneVersion.errorCode()).isEqualTo("version_not_found");

        assertThat(sluice.delete("/v1/services/hello").status()).isEqualTo(204);
        HttpFixture.Reply gone = sluice.get("/v1/services/hello");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("service_not_found");
        assertThat(sluice.delete("/v1/services/hello").status()).isEqualTo(404);
        assertThat(sluice.get("/v1/services").json().path("services")).isEmpty();
    }

    @Test
    void invalidPackagesAreRefusedNamingTheFieldAndOversizedOnesWith413() {
        HttpFixture.Reply noRuntime = deploy(zipOf("name: hello\nsteps: [hello.sh]\n"));
        assertThat(noRuntime.status()).isEqualTo(400);
        assertThat(noRuntime.errorCode()).isEqualTo("invalid_service");
        assertThat(noRuntime.json().path("error").path("message").asText()).contains("runtime");

        HttpFixture.Reply badTimeout = deploy(zipOf(
                "name: hello\nruntime: bash\nsteps: [hello.sh]\ntimeout: forever\n"));
        assertThat(badTimeout.status()).isEqualTo(400);
        assertThat(badTimeout.json().path("error").path("message").asText()).contains("timeout");

        HttpFixture.Reply notZip = deploy("just text".getBytes(StandardCharsets.UTF_8));
        assertThat(notZip.status()).isEqualTo(400);
        assertThat(notZip.errorCode()).isEqualTo("invalid_service");

        HttpFixture.Reply empty = deploy(new byte[0]);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.errorCode()).isEqualTo("invalid_service");

        // Expect: 100-continue, so the server can refuse the size before the body is sent.
        HttpFixture.Reply tooLarge = sluice.send(HttpRequest.newBuilder(URI.create(sluice.url() + "/v1/services"))
                .header("Content-Type", "application/zip").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[13 * 1024 * 1024])), true);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("too_large");

        assertThat(sluice.get("/v1/services").json().path("services")).isEmpty();
    }

    private static byte[] zipOf(String yaml) {
        try {
            return zip(Map.of("service.yaml", yaml, "hello.sh", "echo hi\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPackageOfSeveralMegabytesDeploysAsOneRecord() throws IOException {
        Path service = Files.createDirectories(dir.resolve("big"));
        Files.writeString(service.resolve("service.yaml"), "name: big\nruntime: bash\nsteps: [hello.sh]\n");
        Files.writeString(service.resolve("hello.sh"), "echo big\n");
        byte[] noise = new byte[6 * 1024 * 1024];
        new SecureRandom().nextBytes(noise);
        Files.write(service.resolve("model.bin"), noise);
        ServicePackage pkg = ServicePackage.fromDirectory(service);

        HttpFixture.Reply deployed = deploy(pkg.zip());

        assertThat(deployed.status()).as(deployed.text()).isEqualTo(201);
        ServiceCatalog catalog = new ServiceCatalog();
        readAll(ServiceTopics.CATALOG).forEach(record -> catalog.apply(new String(record.key(),
                StandardCharsets.UTF_8), record.value()));
        assertThat(catalog.latest("big").orElseThrow().version()).isEqualTo(pkg.version());
    }

    @Test
    void triggersAreCheckedAgainstTheRouterAndTheDeployedServices() throws IOException {
        ServicePackage hello = service("hello", HELLO, "echo hello\n");
        deploy(hello.zip());
        String trigger = """
                {"id": "orders.large", "service": "hello",
                 "filter": {"all": [{"exact": {"type": "shop.order.created"}}, {"expr": "data.amount > 1000"}]}}
                """;

        HttpFixture.Reply created = sluice.post("/v1/triggers", trigger);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().path("version").asText()).isEqualTo("latest");
        assertThat(created.json().path("active").asBoolean()).isTrue();
        assertThat(created.json().path("filter").path("all").get(1).path("expr").asText())
                .isEqualTo("data.amount > 1000");
        HttpFixture.Reply duplicate = sluice.post("/v1/triggers", trigger);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.errorCode()).isEqualTo("trigger_exists");

        HttpFixture.Reply replaced = sluice.put("/v1/triggers/orders.large", """
                service: hello
                version: %s
                active: false
                filter:
                  prefix: {type: shop.order.}
                """.formatted(hello.version()), "application/yaml");
        assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
        JsonNode stored = sluice.get("/v1/triggers/orders.large").json();
        assertThat(stored.path("version").asText()).isEqualTo(hello.version());
        assertThat(stored.path("active").asBoolean()).isFalse();
        assertThat(stored.path("filter").path("prefix").path("type").asText()).isEqualTo("shop.order.");

        HttpFixture.Reply mismatch = sluice.put("/v1/triggers/orders.large",
                "{\"id\": \"other\", \"service\": \"hello\", \"filter\": {\"exact\": {\"type\": \"x\"}}}",
                "application/json");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.errorCode()).isEqualTo("invalid_trigger");

        HttpFixture.Reply newByPut = sluice.put("/v1/triggers/manual",
                "{\"service\": \"hello\", \"filter\": {\"exact\": {\"type\": \"dev.sluice.service.manual\"}}}",
                "application/json");
        assertThat(newByPut.status()).isEqualTo(201);
        assertThat(sluice.get("/v1/triggers").json().path("triggers").findValuesAsText("id"))
                .containsExactly("manual", "orders.large");

        HttpFixture.Reply badCel = sluice.post("/v1/triggers", """
                {"id": "bad", "service": "hello",
                 "filter": {"all": [{"exact": {"type": "x"}}, {"expr": "foo > 1"}]}}
                """);
        assertThat(badCel.status()).isEqualTo(400);
        assertThat(badCel.errorCode()).isEqualTo("invalid_trigger");
        assertThat(badCel.json().path("error").path("message").asText()).contains("filter.all[1].expr");

        HttpFixture.Reply unknownService = sluice.post("/v1/triggers",
                "{\"id\": \"t\", \"service\": \"nobody\", \"filter\": {\"exact\": {\"type\": \"x\"}}}");
        assertThat(unknownService.status()).isEqualTo(400);
        assertThat(unknownService.errorCode()).isEqualTo("unknown_service");

        HttpFixture.Reply unknownVersion = sluice.post("/v1/triggers",
                "{\"id\": \"t\", \"service\": \"hello\", \"version\": \"abc123\", \"filter\": {\"exact\": "
                        + "{\"type\": \"x\"}}}");
        assertThat(unknownVersion.status()).isEqualTo(400);
        assertThat(unknownVersion.errorCode()).isEqualTo("unknown_version");

        HttpFixture.Reply inUse = sluice.delete("/v1/services/hello");
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.errorCode()).isEqualTo("service_in_use");
        HttpFixture.Reply pinned = sluice.delete("/v1/services/hello/versions/" + hello.version());
        assertThat(pinned.status()).isEqualTo(409);
        assertThat(pinned.errorCode()).isEqualTo("version_in_use");

        assertThat(sluice.delete("/v1/triggers/orders.large").status()).isEqualTo(204);
        assertThat(sluice.delete("/v1/triggers/orders.large").status()).isEqualTo(404);
        assertThat(sluice.get("/v1/triggers/orders.large").errorCode()).isEqualTo("trigger_not_found");
        assertThat(sluice.delete("/v1/triggers/manual").status()).isEqualTo(204);
        assertThat(sluice.delete("/v1/services/hello").status()).isEqualTo(204);
    }

    @Test
    void secretsAreSealedBeforeTheTopicAndOnlyTheirNamesAreShown() throws IOException {
        deploy(service("hello", HELLO, "echo hello\n").zip());

        HttpFixture.Reply set = sluice.put("/v1/services/hello/secrets",
                "{\"API_KEY\": \"s3cr3t-value\", \"OTHER\": \"other-value\"}", "application/json");
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.json().path("names").toString()).isEqualTo("[\"API_KEY\",\"OTHER\"]");
        assertThat(set.text()).doesNotContain("s3cr3t-value");

        HttpFixture.Reply listed = sluice.get("/v1/services/hello/secrets");
        assertThat(listed.json().path("names").toString()).isEqualTo("[\"API_KEY\",\"OTHER\"]");
        assertThat(listed.text()).doesNotContain("s3cr3t-value");
        HttpFixture.Reply described = sluice.get("/v1/services/hello");
        assertThat(described.json().path("secrets").toString()).isEqualTo("[\"API_KEY\",\"OTHER\"]");
        assertThat(described.text()).doesNotContain("s3cr3t-value");

        HttpFixture.Reply patched = sluice.patch("/v1/services/hello/secrets",
                "{\"OTHER\": null, \"NEW_ONE\": \"new-value\"}");
        assertThat(patched.json().path("names").toString()).isEqualTo("[\"API_KEY\",\"NEW_ONE\"]");

        List<ConsumerRecord<byte[], byte[]>> records = readAll(ServiceTopics.CATALOG);
        assertThat(records).allSatisfy(record -> assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .doesNotContain("s3cr3t-value", "new-value"));
        ConsumerRecord<byte[], byte[]> sealed = records.getLast();
        assertThat(new String(sealed.key(), StandardCharsets.UTF_8)).isEqualTo(ServiceCatalog.secretsKey("hello"));
        assertThat(box.open("hello", SecretBox.Sealed.fromBytes(sealed.value())))
                .isEqualTo(Map.of("API_KEY", "s3cr3t-value", "NEW_ONE", "new-value"));

        HttpFixture.Reply reserved = sluice.patch("/v1/services/hello/secrets", "{\"SLUICE_X\": \"v\"}");
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.errorCode()).isEqualTo("invalid_secrets");
        HttpFixture.Reply notText = sluice.put("/v1/services/hello/secrets", "{\"N\": 5}", "application/json");
        assertThat(notText.status()).isEqualTo(400);
        assertThat(sluice.get("/v1/services/nobody/secrets").status()).isEqualTo(404);
        assertThat(sluice.put("/v1/services/nobody/secrets", "{}", "application/json").status()).isEqualTo(404);

        HttpFixture.Reply cleared = sluice.put("/v1/services/hello/secrets", "{}", "application/json");
        assertThat(cleared.json().path("names")).isEmpty();
        assertThat(readAll(ServiceTopics.CATALOG).getLast().value()).isNull();
    }

    @Test
    void aManualRunIsAnEventOnSluiceEventsWithItsRunId() throws IOException {
        ServicePackage hello = service("hello", HELLO, "echo hello\n");
        deploy(hello.zip());

        HttpFixture.Reply requested = sluice.post("/v1/services/hello/runs",
                "{\"data\": {\"n\": 1}, \"version\": \"" + hello.version() + "\"}");

        assertThat(requested.status()).as(requested.text()).isEqualTo(202);
        String eventId = requested.json().path("eventId").asText();
        assertThat(requested.json().path("runId").asText())
                .isEqualTo(RunRecord.runId(ServiceRunEvents.MANUAL_SOURCE, eventId, RunRecord.MANUAL));
        ConsumerRecord<byte[], byte[]> record = readAll(ServiceTopics.EVENTS).getFirst();
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(header(record, "ce_id")).isEqualTo(eventId);
        assertThat(header(record, "ce_type")).isEqualTo(ServiceRunEvents.MANUAL_TYPE);
        assertThat(header(record, "ce_subject")).isEqualTo("hello");
        assertThat(header(record, "ce_serviceversion")).isEqualTo(hello.version());
        Event event = new CloudEventCodec().read(record);
        assertThat(((EventData.Json) event.data()).node().path("n").asInt()).isEqualTo(1);

        HttpFixture.Reply noBody = sluice.send(HttpRequest.newBuilder(URI.create(sluice.url()
                + "/v1/services/hello/runs")).POST(HttpRequest.BodyPublishers.noBody()), true);
        assertThat(noBody.status()).isEqualTo(202);
        ConsumerRecord<byte[], byte[]> second = readAll(ServiceTopics.EVENTS).getLast();
        // Without a version, the latest as the API saw it is pinned: the run is of that one, whatever is deployed next.
        assertThat(header(second, "ce_serviceversion")).isEqualTo(hello.version());
        assertThat(new String(second.value(), StandardCharsets.UTF_8)).isEqualTo("{}");

        assertThat(sluice.post("/v1/services/nobody/runs", "{}").errorCode()).isEqualTo("service_not_found");
        assertThat(sluice.post("/v1/services/hello/runs", "{\"version\": \"abc\"}").errorCode())
                .isEqualTo("version_not_found");
        assertThat(sluice.post("/v1/services/hello/runs", "{\"params\": 1}").status()).isEqualTo(400);

        deploy(service("quiet", "name: quiet\nruntime: bash\nsteps: [hello.sh]\nallowManual: false\n", "true\n")
                .zip());
        HttpFixture.Reply refused = sluice.post("/v1/services/quiet/runs", "{}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("manual_runs_disabled");
        assertThat(readAll(ServiceTopics.EVENTS)).hasSize(2);
    }
}
