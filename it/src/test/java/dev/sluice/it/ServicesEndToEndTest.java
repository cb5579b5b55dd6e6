package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.services.RunRecord;
import dev.sluice.services.RunStatus;
import dev.sluice.services.ServiceCatalog;
import dev.sluice.services.ServicePackage;
import dev.sluice.services.ServiceTopics;
import dev.sluice.services.trigger.CloudEventCodec;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.EventData;
import dev.sluice.services.trigger.FilterSpec;
import dev.sluice.services.trigger.ServiceRunEvents;
import dev.sluice.services.trigger.TriggerSpec;
import dev.sluice.testkit.EmbeddedSluice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services run by events in a whole node: services and triggers are written to the catalog topic as the REST API
 * writes them, events are published with kafka-clients, and what happened is read back from the topics a user would
 * read (runs, lifecycle events, emitted events, dead letters). Steps are real bash and python3 processes.
 */
class ServicesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The services engine's clock: real time moved by the test, so schedules fire when the test says. */
    private static final AtomicReference<Duration> SKEW = new AtomicReference<>(Duration.ZERO);
    private static final Clock CLOCK = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(SKEW.get());
        }
    };

    @TempDir
    static Path dir;

    private static EmbeddedSluice sluice;
    private static KafkaProducer<byte[], byte[]> producer;
    private static final CloudEventCodec CODEC = new CloudEventCodec();

    @BeforeAll
    static void start() {
        sluice = EmbeddedSluice.builder().config("log.flush", "none").servicesClock(CLOCK).build().start();
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", sluice.bootstrapServers(), "linger.ms", 0,
                "max.request.size", ServiceTopics.MAX_RECORD_BYTES), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (sluice != null) {
            sluice.close();
        }
    }

    @Test
    void aChainOfThreeServicesInBashAndPython3RunsEndToEndWithOneCorrelationId() throws Exception {
        Path archive = dir.resolve("archive.txt");
        deploy("invoicer", "bash", Map.of("invoice.sh", """
                amount=$(python3 -c 'import json,sys; print(json.load(open("event.json"))["data"]["amount"])')
                sluice_emit chain.invoice.ready "{\\"amount\\": $amount}" "invoice-1"
                """), "");
        deploy("mailer", "python3", Map.of("mail.py", """
                import sluice
                event = sluice.event()
                sluice.emit("chain.mail.sent", {"amount": event["data"]["amount"] * 2})
                """), "");
        deploy("archiver", "bash", Map.of("archive.sh", """
                cat event.json >> "$ARCHIVE"
                """), "environment: {ARCHIVE: \"" + archive + "\"}\n");
        trigger("chain-1", "invoicer", FilterSpec.exact("type", "chain.order.created"));
        trigger("chain-2", "mailer", FilterSpec.exact("type", "chain.invoice.ready"));
        trigger("chain-3", "archiver", FilterSpec.exact("type", "chain.mail.sent"));

        String orderId = publish("chain.order.created", JSON.readTree("{\"amount\": 21}"));

        await().atMost(WAIT).until(() -> Files.exists(archive) && Files.readString(archive).contains("mail.sent"));
        JsonNode archived = JSON.readTree(Files.readString(archive));
        assertThat(archived.path("data").path("amount").asInt()).isEqualTo(42);
        assertThat(archived.path("correlationid").asText()).isEqualTo(orderId);

        Map<String, RunRecord> runs = awaitRuns(all -> all.values().stream()
                .filter(run -> run.run().correlationId().equals(orderId) && run.run().status().isFinal())
                .count() == 3);
        List<RunRecord> chain = runs.values().stream().filter(run -> run.run().correlationId().equals(orderId))
                .toList();
        assertThat(chain).extracting(run -> run.run().service())
                .containsExactlyInAnyOrder("invoicer", "mailer", "archiver");
        assertThat(chain).allSatisfy(run -> {
            assertThat(run.run().status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.node()).isEqualTo("embedded");
        });
        RunRecord invoicer = chain.stream().filter(run -> run.run().service().equals("invoicer")).findFirst()
                .orElseThrow();
        assertThat(invoicer.trigger()).isEqualTo("chain-1");
        assertThat(invoicer.run().emitted()).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo("chain.invoice.ready");
            assertThat(event.extensions()).containsEntry("causationid", orderId);
        });

        // Each run's lifecycle is on sluice.ops: started, then succeeded, linked by run id and correlation id.
        List<Event> ops = await().atMost(WAIT).until(() -> events(ServiceTopics.OPS).stream()
                .filter(event -> orderId.equals(event.extensions().get("correlationid"))).toList(),
                list -> list.stream().filter(event -> event.type().equals("dev.sluice.run.succeeded")).count() == 3);
        for (RunRecord run : chain) {
            assertThat(ops).filteredOn(event -> run.run().id().equals(event.extensions().get("runid")))
                    .extracting(Event::type).containsExactly("dev.sluice.run.started", "dev.sluice.run.succeeded");
        }
    }

    @Test
    void reLinkingATriggerAtRuntimeChangesWhichServiceRunsNext() throws Exception {
        Path out = dir.resolve("relink.txt");
        for (String name : List.of("relink-first", "relink-second")) {
            deploy(name, "bash", Map.of("run.sh", "echo \"$SLUICE_SERVICE $CE_ID\" >> \"$OUT\"\n"),
                    "environment: {OUT: \"" + out + "\"}\n");
        }
        trigger("relink", "relink-first", FilterSpec.exact("type", "relink.tested"));
        String first = publish("relink.tested", null);
        await().atMost(WAIT).until(() -> Files.exists(out) && Files.readString(out).contains(first));

        trigger("relink", "relink-second", FilterSpec.exact("type", "relink.tested"));
        await().atMost(WAIT).until(() -> sluice.services().catalog().trigger("relink")
                .map(TriggerSpec::service).orElse("").equals("relink-second"));
        String second = publish("relink.tested", null);

        await().atMost(WAIT).until(() -> Files.readString(out).contains(second));
        assertThat(Files.readAllLines(out)).containsExactly("relink-first " + first, "relink-second " + second);
    }

    @Test
    void aScheduleFiresWhenItsTimeComesAndAManualRunRunsWithItsParameters() throws Exception {
        Path out = dir.resolve("ticks.txt");
        deploy("ticker", "bash", Map.of("tick.sh", "echo \"$CE_TYPE $(cat event.json)\" >> \"$OUT\"\n"),
                "schedule: \"*/5 * * * *\"\nenvironment: {OUT: \"" + out + "\"}\n");
        await().atMost(WAIT).until(() -> sluice.services().catalog().latest("ticker").isPresent());
        // The catalog is followed before schedules are set; give the engine a moment to see the service's schedule.
        Instant now = CLOCK.instant();
        Instant due = Instant.ofEpochSecond((now.getEpochSecond() / 300 + 1) * 300);
        await().atMost(WAIT).until(() -> sluice.services().tick(due.minusSeconds(1)) == 0
                && sluice.services().tick(due) == 1);

        await().atMost(WAIT).until(() -> Files.exists(out) && Files.readString(out).contains("scheduledTime"));
        assertThat(Files.readString(out)).startsWith(ServiceRunEvents.SCHEDULED_TYPE + " ")
                .contains("\"scheduledTime\":\"" + due + "\"");
        RunRecord scheduled = awaitRun(run -> run.run().service().equals("ticker")
                && run.trigger().equals(RunRecord.SCHEDULE) && run.run().status().isFinal());
        assertThat(scheduled.run().status()).isEqualTo(RunStatus.SUCCEEDED);

        Event manual = ServiceRunEvents.manual("ticker", JSON.readTree("{\"reason\": \"backfill\"}"), Instant.now());
        producer.send(CODEC.toBinaryRecord(ServiceTopics.EVENTS, null, manual)).get();
        RunRecord run = awaitRun(record -> record.trigger().equals(RunRecord.MANUAL)
                && record.run().input().id().equals(manual.id()) && record.run().status().isFinal());
        assertThat(run.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.run().id()).isEqualTo(RunRecord.runId(manual.source(), manual.id(), RunRecord.MANUAL));
        assertThat(Files.readString(out)).contains("\"reason\":\"backfill\"");
    }

    @Test
    void aFailingScriptIsRetriedThenMarkedFailed() throws Exception {
        deploy("flaky", "bash", Map.of("fail.sh", "echo \"boom $SLUICE_ATTEMPT\" >&2\nexit 3\n"),
                "retries: {max: 2, backoff: 100ms}\n");
        trigger("flaky", "flaky", FilterSpec.exact("type", "flaky.requested"));
        String id = publish("flaky.requested", null);

        RunRecord run = awaitRun(record -> record.run().input().id().equals(id) && record.run().status().isFinal());
        assertThat(run.run().status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.run().attempts()).hasSize(3).allSatisfy(attempt -> {
            assertThat(attempt.status()).isEqualTo(RunStatus.FAILED);
            assertThat(attempt.steps().getFirst().exitCode()).isEqualTo(3);
        });
        assertThat(run.run().attempts().getLast().steps().getFirst().stderr().text()).isEqualTo("boom 3\n");
        assertThat(run.run().error()).contains("exited with 3");
        await().atMost(WAIT).until(() -> events(ServiceTopics.OPS).stream().anyMatch(event ->
                event.type().equals("dev.sluice.run.failed") && run.run().id().equals(event.extensions().get("runid"))));
    }

    @Test
    void aHangingStepIsKilledWithItsChildrenAtTheTimeout() throws Exception {
        Path pidFile = dir.resolve("hang.pid");
        deploy("hang", "bash", Map.of("hang.sh", "sleep 600 &\necho $! > \"$PID_FILE\"\nsleep 600\n"),
                "timeout: 1s\nenvironment: {PID_FILE: \"" + pidFile + "\"}\n");
        trigger("hang", "hang", FilterSpec.exact("type", "hang.requested"));
        String id = publish("hang.requested", null);

        RunRecord run = awaitRun(record -> record.run().input().id().equals(id) && record.run().status().isFinal());
        assertThat(run.run().status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(run.run().attempts().getFirst().steps().getFirst().exitCode()).isEqualTo(137);
        long child = Long.parseLong(Files.readString(pidFile).trim());
        // Dead, though perhaps not reaped yet: a killed orphan is a zombie until init collects it.
        await().atMost(Duration.ofSeconds(5)).until(() -> !runningOrSleeping(child));
    }

    /** Whether the process exists and is not a zombie (Linux: the state letter in /proc/<pid>/stat). */
    private static boolean runningOrSleeping(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aMalformedEventGoesToTheDeadLetterTopicAndTheRouterGoesOn() throws Exception {
        producer.send(new ProducerRecord<>(ServiceTopics.EVENTS, "no-event".getBytes(StandardCharsets.UTF_8),
                "this is not a cloud event".getBytes(StandardCharsets.UTF_8))).get();

        ConsumerRecord<byte[], byte[]> dead = await().atMost(WAIT).until(
                () -> records(ServiceTopics.EVENTS + ServiceTopics.DEAD_LETTER_SUFFIX).stream()
                        .filter(record -> record.key() != null && new String(record.key(), StandardCharsets.UTF_8)
                                .equals("no-event")).findFirst().orElse(null), record -> record != null);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("this is not a cloud event");
        assertThat(new String(dead.headers().lastHeader(ServiceTopics.ERROR_HEADER).value(), StandardCharsets.UTF_8))
                .isNotBlank();

        Path out = dir.resolve("after-dead.txt");
        deploy("after-dead", "bash", Map.of("run.sh", "echo ok > \"$OUT\"\n"), "environment: {OUT: \"" + out + "\"}\n");
        trigger("after-dead", "after-dead", FilterSpec.exact("type", "after.dead"));
        publish("after.dead", null);
        await().atMost(WAIT).until(() -> Files.exists(out));
    }

    @Test
    void aRedeliveredEventRunsItsServiceOnce() throws Exception {
        Path out = dir.resolve("once.txt");
        deploy("once", "bash", Map.of("run.sh", "echo \"$CE_ID\" >> \"$OUT\"\n"),
                "environment: {OUT: \"" + out + "\"}\n");
        trigger("once", "once", FilterSpec.exact("type", "once.requested"));
        Event event = Event.of(UUID.randomUUID().toString(), "once.requested", "/tests", EventData.none());
        producer.send(CODEC.toBinaryRecord(ServiceTopics.EVENTS, null, event)).get();
        producer.send(CODEC.toStructuredRecord(ServiceTopics.EVENTS, null, event)).get();
        String marker = publish("once.requested", null);

        await().atMost(WAIT).until(() -> Files.exists(out) && Files.readString(out).contains(marker));
        assertThat(Files.readAllLines(out)).containsExactlyInAnyOrder(event.id(), marker);
    }

    @Test
    void theNodesMetricsCountEventsRunsAndTheDelayFromPublicationToStart() throws Exception {
        deploy("counted", "bash", Map.of("run.sh", "exit 0\n"), "");
        trigger("counted", "counted", FilterSpec.exact("type", "counted.requested"));
        String id = publish("counted.requested", null);
        awaitRun(record -> record.run().input().id().equals(id) && record.run().status().isFinal());

        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String metrics = await().atMost(WAIT).until(() -> http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(sluice.httpUrl() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body(),
                body -> body.contains("sluice_service_runs_total{") && body.contains("service=\"counted\""));
        assertThat(metrics).containsPattern("sluice_service_runs_total\\{[^}]*service=\"counted\"[^}]*status=\"succeeded\"")
                .containsPattern("sluice_services_events_total\\{[^}]*result=\"routed\"")
                .contains("sluice_services_start_delay_seconds_count")
                .contains("sluice_service_run_duration_seconds_count");
    }

    @Test
    void throughTheRestApiAServiceIsDeployedLinkedTriggeredRunManuallyAndItsLogsRead() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Path serviceDir = Files.createDirectories(dir.resolve("rest-greeter"));
        Files.writeString(serviceDir.resolve("service.yaml"), "name: rest-greeter\nruntime: python3\n"
                + "steps: [greet.py]\nsecrets: [GREETING]\n");
        Files.writeString(serviceDir.resolve("greet.py"), """
                import os, sluice
                event = sluice.event()
                print(os.environ["GREETING"], event["data"].get("name", "nobody"))
                """);
        JsonNode deployed = JSON.readTree(send(http, "POST", "/v1/services", "application/zip",
                ServicePackage.fromDirectory(serviceDir).zip(), 201));
        assertThat(deployed.path("service").asText()).isEqualTo("rest-greeter");
        send(http, "PUT", "/v1/services/rest-greeter/secrets", "application/json",
                "{\"GREETING\": \"hello\"}".getBytes(StandardCharsets.UTF_8), 200);
        send(http, "PUT", "/v1/triggers/rest-greet", "application/yaml", """
                id: rest-greet
                service: rest-greeter
                filter: {exact: {type: rest.greet}}
                """.getBytes(StandardCharsets.UTF_8), 201);
        await().atMost(WAIT).until(() -> sluice.services().catalog().trigger("rest-greet").isPresent()
                && sluice.services().catalog().secrets("rest-greeter").isPresent());

        JsonNode published = JSON.readTree(send(http, "POST", "/v1/events", "application/cloudevents+json",
                "{\"type\": \"rest.greet\", \"source\": \"/tests\", \"data\": {\"name\": \"Ada\"}}"
                        .getBytes(StandardCharsets.UTF_8), 202));
        String runId = RunRecord.runId("/tests", published.path("id").asText(), "rest-greet");
        JsonNode run = await().atMost(WAIT).until(() -> JSON.readTree(get(http, "/v1/runs/" + runId)),
                body -> body.path("run").path("status").asText().equals("succeeded"));
        assertThat(run.path("trigger").asText()).isEqualTo("rest-greet");
        assertThat(get(http, "/v1/runs/" + runId + "/logs")).contains("hello Ada");

        JsonNode manual = JSON.readTree(send(http, "POST", "/v1/services/rest-greeter/runs", "application/json",
                "{\"data\": {\"name\": \"Grace\"}}".getBytes(StandardCharsets.UTF_8), 202));
        String manualRun = manual.path("runId").asText();
        await().atMost(WAIT).until(() -> JSON.readTree(get(http, "/v1/runs/" + manualRun)).path("run")
                .path("status").asText().equals("succeeded"));
        assertThat(get(http, "/v1/runs/" + manualRun + "/logs")).contains("hello Grace");
        JsonNode listed = JSON.readTree(get(http, "/v1/runs?service=rest-greeter&status=succeeded"));
        assertThat(listed.path("runs").findValuesAsText("id")).contains(runId, manualRun);
    }

    private static String send(java.net.http.HttpClient http, String method, String path, String type, byte[] body,
                               int expected) throws Exception {
        java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(sluice.httpUrl() + path)).header("Content-Type", type)
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body();
    }

    private static String get(java.net.http.HttpClient http, String path) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sluice.httpUrl() + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    // --- helpers: what the REST API and the CLI write, written here with kafka-clients ---

    private static void deploy(String name, String runtime, Map<String, String> scripts, String more)
            throws Exception {
        Path serviceDir = Files.createDirectories(dir.resolve("services").resolve(name + "-" + UUID.randomUUID()));
        StringBuilder manifest = new StringBuilder("name: " + name + "\nruntime: " + runtime + "\nsteps: [");
        manifest.append(String.join(", ", scripts.keySet())).append("]\ntimeout: 20s\n").append(more);
        Files.writeString(serviceDir.resolve("service.yaml"), manifest);
        for (Map.Entry<String, String> script : scripts.entrySet()) {
            Files.writeString(serviceDir.resolve(script.getKey()), script.getValue());
        }
        ServicePackage pkg = ServicePackage.fromDirectory(serviceDir);
        ServiceCatalog.DeployedVersion version = new ServiceCatalog.DeployedVersion(name, pkg.version(),
                Instant.now(), pkg);
        producer.send(new ProducerRecord<>(ServiceTopics.CATALOG, 0,
                ServiceCatalog.versionKey(name, pkg.version()).getBytes(StandardCharsets.UTF_8),
                version.toBytes())).get();
        await().atMost(WAIT).until(() -> sluice.services().catalog().latest(name)
                .map(ServiceCatalog.DeployedVersion::version).orElse("").equals(pkg.version()));
    }

    private static void trigger(String id, String service, FilterSpec filter) throws Exception {
        TriggerSpec trigger = TriggerSpec.of(id, service, TriggerSpec.LATEST, filter);
        producer.send(new ProducerRecord<>(ServiceTopics.CATALOG, 0,
                ServiceCatalog.triggerKey(id).getBytes(StandardCharsets.UTF_8),
                ServiceCatalog.triggerBytes(trigger))).get();
        await().atMost(WAIT).until(() -> sluice.services().catalog().trigger(id).map(trigger::equals)
                .orElse(false));
    }

    /** Publishes an event in binary mode; returns its id. */
    private static String publish(String type, JsonNode data) throws Exception {
        Event event = Event.of(UUID.randomUUID().toString(), type, "/tests",
                data == null ? EventData.none() : new EventData.Json(data));
        producer.send(CODEC.toBinaryRecord(ServiceTopics.EVENTS, null, event)).get();
        return event.id();
    }

    private static RunRecord awaitRun(java.util.function.Predicate<RunRecord> match) {
        return await().atMost(WAIT).until(() -> runs().values().stream().filter(match).findFirst().orElse(null),
                run -> run != null);
    }

    private static Map<String, RunRecord> awaitRuns(java.util.function.Predicate<Map<String, RunRecord>> done) {
        return await().atMost(WAIT).until(ServicesEndToEndTest::runs, done);
    }

    /** Every run as last recorded. */
    private static Map<String, RunRecord> runs() {
        Map<String, RunRecord> runs = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records(ServiceTopics.RUNS)) {
            if (record.value() != null) {
                runs.put(new String(record.key(), StandardCharsets.UTF_8), RunRecord.fromBytes(record.value()));
            }
        }
        return runs;
    }

    private static List<Event> events(String topic) {
        List<Event> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records(topic)) {
            events.add(CODEC.read(record));
        }
        return events;
    }

    /** Everything partition 0 of the topic holds now. */
    private static List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", sluice.bootstrapServers(), "max.partition.fetch.bytes", 32 * 1024 * 1024),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
