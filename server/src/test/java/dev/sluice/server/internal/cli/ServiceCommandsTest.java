package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.server.internal.cli.CliRunner.Result;
import dev.sluice.services.CapturedOutput;
import dev.sluice.services.Run;
import dev.sluice.services.RunAttempt;
import dev.sluice.services.RunRecord;
import dev.sluice.services.RunStatus;
import dev.sluice.services.ServiceEvent;
import dev.sluice.services.ServicePackage;
import dev.sluice.services.ServiceTopics;
import dev.sluice.services.StepResult;
import dev.sluice.services.trigger.ServiceRunEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sluice service}, {@code trigger}, {@code event} and the {@code services:}/{@code triggers:} of
 * {@code sluice apply} against a real node. No services engine runs in this build, so runs are written to
 * {@code _sluice_runs} by the test, as an engine would write them.
 */
@Timeout(120)
class ServiceCommandsTest extends LiveSluiceTest {
    static Path service(String dir, String name, String script) throws IOException {
        Path service = Files.createDirectories(LiveSluiceTest.dir.resolve(dir));
        Files.writeString(service.resolve("service.yaml"), """
                name: %s
                description: says hello
                runtime: bash
                steps: [hello.sh]
                secrets: [API_KEY]
                """.formatted(name));
        Files.writeString(service.resolve("hello.sh"), script);
        return service;
    }

    @Test
    void deployListShowSecretsRunAndDelete() throws IOException {
        String version = ServicePackage.fromDirectory(service("svc/hello", "hello", "echo hello\n")).version();

        Result deployed = cli.run("service", "deploy", "svc/hello");
        assertThat(deployed.exit()).as(deployed.err()).isZero();
        assertThat(deployed.out()).isEqualTo("deployed service hello version " + version + "\n");
        assertThat(cli.run("service", "deploy", "svc/hello").out()).isEqualTo(deployed.out());

        assertThat(cli.run("service", "list").out())
                .containsPattern("(?m)^SERVICE +VERSION +VERSIONS +RUNTIME +SCHEDULE +MANUAL +ACTIVE +DESCRIPTION$")
                .containsPattern("(?m)^hello +" + version + " +1 +bash +- +yes +yes +says hello$");
        assertThat(cli.run("service", "show", "hello").out())
                .containsPattern("(?m)^latest +" + version + " \\(deployed \\S+\\)$")
                .containsPattern("(?m)^steps +hello\\.sh$")
                .containsPattern("(?m)^secrets +API_KEY \\(not set\\)$")
                .containsPattern("(?m)^" + version + " +\\S+ +2$");

        assertThat(cli.run("service", "secrets", "set", "hello", "API_KEY=abc123", "OTHER=x=y").out())
                .isEqualTo("secrets of service hello: API_KEY, OTHER\n");
        assertThat(cli.run("service", "secrets", "list", "hello").out())
                .isEqualTo("secrets of service hello: API_KEY, OTHER\n");
        assertThat(cli.run("service", "secrets", "unset", "hello", "OTHER").out())
                .isEqualTo("secrets of service hello: API_KEY\n");
        Result shown = cli.run("service", "show", "hello");
        assertThat(shown.out()).containsPattern("(?m)^secrets +API_KEY$").containsPattern("(?m)^secrets set +API_KEY$")
                .doesNotContain("abc123");

        Result run = cli.run("service", "run", "hello", "--data", "{\"n\": 1}");
        assertThat(run.exit()).as(run.err()).isZero();
        Matcher ids = Pattern.compile("requested run (\\S+) of service hello \\(event (\\S+)\\)\n").matcher(run.out());
        assertThat(ids.matches()).as(run.out()).isTrue();
        assertThat(ids.group(1)).isEqualTo(RunRecord.runId(ServiceRunEvents.MANUAL_SOURCE, ids.group(2),
                RunRecord.MANUAL));
        Result badData = cli.run("service", "run", "hello", "--data", "{n");
        assertThat(badData.exit()).isEqualTo(2);
        assertThat(badData.err()).contains("--data is not JSON");

        Result noVersion = cli.run("service", "delete", "hello", "--version", "abc");
        assertThat(noVersion.exit()).isEqualTo(1);
        assertThat(noVersion.err()).contains("has no version 'abc'");
        assertThat(cli.run("service", "delete", "hello").out()).isEqualTo("deleted service hello\n");
        Result gone = cli.run("service", "show", "hello");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("service 'hello' is not deployed (HTTP 404)");

        Result invalid = cli.run("service", "deploy", "svc/nothing");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("svc/nothing: ").contains("has no service.yaml");
    }

    @Test
    void runsAndLogsShowWhatTheEngineRecorded() throws Exception {
        Instant queued = Instant.parse("2025-03-01T10:00:00Z");
        ServiceEvent input = new ServiceEvent("e-1", ServiceRunEvents.MANUAL_TYPE, ServiceRunEvents.MANUAL_SOURCE,
                "greeter", null, null, Map.of(), null);
        StepResult step = new StepResult("hello.sh", RunStatus.FAILED, 1, Duration.ofMillis(40),
                new CapturedOutput("hi\n", 3, false), new CapturedOutput("oops\n", 5, false), null);
        RunAttempt attempt = new RunAttempt(1, RunStatus.FAILED, queued, queued.plusMillis(1500), List.of(step),
                List.of(), "step 0 exited with 1");
        Run run = new Run("run-1", "greeter", "v1", "e-1", RunStatus.FAILED, queued, queued,
                queued.plusMillis(1500), List.of(attempt), input, List.of(), "step 0 exited with 1");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", sluice.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(ServiceTopics.RUNS, "run-1".getBytes(StandardCharsets.UTF_8),
                    new RunRecord(run, RunRecord.MANUAL, "node-a").toBytes())).get();
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(cli.run("service", "runs", "greeter")
                .out()).containsPattern("(?m)^RUN +STATUS +TRIGGER +QUEUED +DURATION +ERROR$")
                .containsPattern("(?m)^run-1 +failed +@manual +2025-03-01T10:00:00Z +1\\.5s +step 0 exited with 1$"));
        assertThat(cli.run("service", "runs", "greeter", "--status", "succeeded").out()).isEqualTo("no runs\n");
        Result badStatus = cli.run("service", "runs", "greeter", "--status", "done");
        assertThat(badStatus.exit()).isEqualTo(1);
        assertThat(badStatus.err()).contains("timed_out");
        assertThat(cli.run("service", "logs", "run-1").out()).isEqualTo("""
                == attempt 1, step 0 (hello.sh): failed, exit 1 ==
                -- stdout --
                hi
                -- stderr --
                oops
                """);
        Result unknown = cli.run("service", "logs", "run-2");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("run 'run-2' does not exist");
    }

    @Test
    void triggersArePutListedShownAndDeleted() throws IOException {
        service("svc/orders", "orders", "echo order\n");
        assertThat(cli.run("service", "deploy", "svc/orders").exit()).isZero();
        Files.writeString(dir.resolve("large.yaml"), """
                id: orders.large
                service: orders
                filter:
                  all:
                    - exact: {type: shop.order.created}
                    - expr: "data.amount > 1000"
                """);

        Result created = cli.run("trigger", "put", "large.yaml");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("created trigger orders.large: service orders@latest\n");
        assertThat(cli.run("trigger", "put", "large.yaml").out())
                .isEqualTo("replaced trigger orders.large: service orders@latest\n");
        assertThat(cli.run("trigger", "list").out())
                .containsPattern("(?m)^TRIGGER +SERVICE +VERSION +ACTIVE +FILTER$")
                .containsPattern("(?m)^orders\\.large +orders +latest +yes +\\{\"all\":.*$");
        assertThat(cli.run("trigger", "show", "orders.large").out()).startsWith("id: orders.large\n")
                .contains("expr: data.amount > 1000\n");

        Result badCel = cli.runWithInput("{id: bad, service: orders, filter: {all: [{exact: {type: x}}, "
                + "{expr: 'foo > 1'}]}}", "trigger", "put", "-");
        assertThat(badCel.exit()).isEqualTo(1);
        assertThat(badCel.err()).contains("filter.all[1].expr").contains("(HTTP 400)");
        Result noId = cli.runWithInput("{service: orders}", "trigger", "put", "-");
        assertThat(noId.exit()).isEqualTo(2);

        assertThat(cli.run("trigger", "delete", "orders.large").out()).isEqualTo("deleted trigger orders.large\n");
        assertThat(cli.run("trigger", "list").out()).isEqualTo("no triggers\n");
    }

    @Test
    void anEventIsSentAsACloudEvent() {
        Result sent = cli.run("event", "send", "--type", "shop.order.created", "--source", "/shop", "--subject",
                "order-7", "--id", "evt-1", "--data", "{\"amount\": 1200}", "--extension", "tenant=acme");
        assertThat(sent.exit()).as(sent.err()).isZero();
        Matcher where = Pattern.compile("sent event evt-1 to sluice\\.events \\(partition 0, offset (\\d+)\\)\n")
                .matcher(sent.out());
        assertThat(where.matches()).as(sent.out()).isTrue();

        Result consumed = cli.run("consume", "sluice.events", "--from-beginning", "--print-key", "--count",
                String.valueOf(Long.parseLong(where.group(1)) + 1));
        assertThat(consumed.out()).endsWith("order-7\t{\"amount\":1200}\n");

        Result generated = cli.run("event", "send", "--type", "ping", "--source", "/cli");
        assertThat(generated.out()).matches("sent event [0-9a-f-]{36} to sluice\\.events .*\n");
        Result unknownTopic = cli.run("event", "send", "--type", "t", "--source", "/s", "--topic", "nope");
        assertThat(unknownTopic.exit()).isEqualTo(1);
        assertThat(unknownTopic.err()).contains("topic 'nope' does not exist");
        Result shadowing = cli.run("event", "send", "--type", "t", "--source", "/s", "--extension", "type=x");
        assertThat(shadowing.exit()).isEqualTo(2);
        assertThat(shadowing.err()).contains("use --type");
    }

    @Test
    void applyDeploysServicesBeforeTheirTriggersAndChangesNothingTheSecondTime() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path greeter = service("project/greeter", "greeter-app", "echo hi\n");
        String first = ServicePackage.fromDirectory(greeter).version();
        String file = """
                triggers:
                  - id: greeter.manual
                    service: greeter-app
                    active: %s
                    filter: {exact: {type: dev.sluice.service.manual, subject: greeter-app}}
                services:
                  - path: greeter
                """;
        Files.writeString(project.resolve("app.yaml"), file.formatted(true));

        Result created = cli.run("apply", "-f", "project/app.yaml");
        Result again = cli.run("apply", "-f", "project/app.yaml");

        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("service greeter-app: created (version " + first + ")\n"
                + "trigger greeter.manual: created (service greeter-app@latest)\n");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo("service greeter-app: unchanged\ntrigger greeter.manual: unchanged\n");

        Files.writeString(greeter.resolve("hello.sh"), "echo hello\n");
        String second = ServicePackage.fromDirectory(greeter).version();
        Files.writeString(project.resolve("app.yaml"), file.formatted(false));
        Result changed = cli.run("apply", "-f", "project/app.yaml");
        assertThat(changed.exit()).as(changed.err()).isZero();
        assertThat(changed.out()).isEqualTo("service greeter-app: deployed version " + second + " (was " + first
                + ")\ntrigger greeter.manual: deactivated\n");

        Result refused = cli.runWithInput("""
                triggers:
                  - {id: orphan, service: nobody, filter: {exact: {type: x}}}
                """, "apply", "-f", "-");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("trigger orphan runs service nobody, which neither the file nor the "
                + "server has (nothing was changed)");
        Result badDir = cli.runWithInput("services:\n  - path: project/missing\n", "apply", "-f", "-");
        assertThat(badDir.exit()).isEqualTo(2);
        assertThat(badDir.err()).contains("-: services[0] (project/missing): ");
    }
}
