package dev.sluice.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceRunnerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private final List<Run> changes = new CopyOnWriteArrayList<>();
  private ServiceRunner runner;

  @BeforeEach
  void startRunner() {
    runner = new ServiceRunner(tmp.resolve("runs"), changes::add, Clock.systemUTC(), 4096);
  }

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  private ServicePackage service(String manifest, String... namesAndScripts) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("svc-" + ThreadLocalRandom.current().nextInt(1_000_000)));
    Files.writeString(dir.resolve("service.yaml"), manifest);
    for (int i = 0; i < namesAndScripts.length; i += 2) {
      Files.writeString(dir.resolve(namesAndScripts[i]), namesAndScripts[i + 1]);
    }
    return ServicePackage.fromDirectory(dir);
  }

  private static ServiceEvent orderPlaced() throws IOException {
    return new ServiceEvent("evt-1", "order.placed", "/shop", "order-42",
        OffsetDateTime.parse("2026-05-01T10:00:00Z"), "application/json", Map.of("tenant", "acme"),
        JSON.readTree("{\"total\": 12.5}"));
  }

  private Run run(ServicePackage pkg, Map<String, String> secrets) throws Exception {
    return runner.run(pkg, orderPlaced(), secrets).get(30, TimeUnit.SECONDS);
  }

  @Test
  void bashStepSeesTheEventOnStdinInEventJsonAndInTheEnvironment() throws Exception {
    ServicePackage pkg = service("name: hello\nruntime: bash\nsteps: [run.sh]\n", "run.sh", """
        echo "stdin: $(cat)"
        echo "file: $(cat event.json)"
        echo "env: $CE_ID $CE_TYPE $CE_SOURCE $CE_SUBJECT $CE_TIME $CE_DATACONTENTTYPE $CE_TENANT"
        echo "sluice: $SLUICE_SERVICE $SLUICE_SERVICE_VERSION $SLUICE_RUN_ID"
        echo "oops" >&2
        """);

    Run run = run(pkg, Map.of());

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.correlationId()).isEqualTo("evt-1");
    assertThat(run.version()).isEqualTo(pkg.version());
    assertThat(run.attempts()).hasSize(1);
    StepResult step = run.attempts().getFirst().steps().getFirst();
    assertThat(step.exitCode()).isZero();
    String out = step.stdout().text();
    assertThat(out).contains("stdin: {\"specversion\":\"1.0\",\"id\":\"evt-1\",\"type\":\"order.placed\"")
        .contains("\"tenant\":\"acme\",\"data\":{\"total\":12.5}}")
        .contains("file: {\"specversion\":\"1.0\"")
        .contains("env: evt-1 order.placed /shop order-42 2026-05-01T10:00Z application/json acme")
        .contains("sluice: hello " + pkg.version() + " " + run.id());
    assertThat(step.stderr().text()).isEqualTo("oops\n");
    assertThat(changes).extracting(Run::status)
        .containsExactly(RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.RUNNING, RunStatus.SUCCEEDED);
  }

  @Test
  void pythonStepReadsTheEventAndEmitsWithTheHelper() throws Exception {
    ServicePackage pkg = service("name: py\nruntime: python3\nsteps: [main.py]\n", "main.py", """
        import json, os, sys
        import sluice
        from_stdin = json.load(sys.stdin)
        from_file = sluice.event()
        assert from_stdin == from_file
        print(os.environ["CE_TYPE"], from_stdin["data"]["total"])
        sluice.emit("order.checked", {"total": from_stdin["data"]["total"]}, subject="order-42")
        sluice.emit("order.audited", source="/audit", priority="high")
        """);

    Run run = run(pkg, Map.of());

    assertThat(run.status()).as(run.toString()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.attempts().getFirst().steps().getFirst().stdout().text()).isEqualTo("order.placed 12.5\n");
    assertThat(run.emitted()).hasSize(2);
    ServiceEvent checked = run.emitted().get(0);
    assertThat(checked.type()).isEqualTo("order.checked");
    assertThat(checked.source()).isEqualTo("sluice:service/py");
    assertThat(checked.subject()).isEqualTo("order-42");
    assertThat(checked.dataContentType()).isEqualTo("application/json");
    assertThat(checked.data().get("total").asDouble()).isEqualTo(12.5);
    assertThat(checked.id()).isNotBlank();
    ServiceEvent audited = run.emitted().get(1);
    assertThat(audited.source()).isEqualTo("/audit");
    assertThat(audited.extensions()).containsEntry("priority", "high");
    assertThat(audited.data()).isNull();
  }

  @Test
  void bashHelperAndAChildPythonProcessBothEmitOnFd3() throws Exception {
    ServicePackage pkg = service("name: emitter\nruntime: bash\nsteps: [run.sh]\n", "run.sh", """
        sluice_emit thing.made '{"n": 1}' "with \\"quotes\\""
        python3 -c 'import sluice; sluice.emit("thing.made", {"n": 2})'
        """);

    Run run = run(pkg, Map.of());

    assertThat(run.status()).as(run.toString()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.emitted()).extracting(ServiceEvent::type).containsExactly("thing.made", "thing.made");
    assertThat(run.emitted()).extracting(e -> e.data().get("n").asInt()).containsExactly(1, 2);
    assertThat(run.emitted().getFirst().subject()).isEqualTo("with \"quotes\"");
  }

  @Test
  void malformedEmittedLineFailsTheStepNamingTheLine() throws Exception {
    ServicePackage pkg = service("name: bad-emitter\nruntime: bash\nsteps: [run.sh]\n", "run.sh", """
        sluice_emit ok.event
        echo '{"data": 1}' >&3
        """);

    Run run = run(pkg, Map.of());

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.emitted()).isEmpty();
    assertThat(run.error()).isEqualTo(
        "step 0 (run.sh): emitted event on fd 3, line 2, has no \"type\": {\"data\": 1}");
  }

  @Test
  void stepsOfOneRunShareTheirWorkingDirectoryInOrder() throws Exception {
    ServicePackage pkg = service("name: chain\nruntime: bash\nsteps: [first.sh, second.sh]\n",
        "first.sh", "echo built > artifact.txt\n",
        "second.sh", "echo \"second sees: $(cat artifact.txt) in step $SLUICE_STEP\"\n");

    Run run = run(pkg, Map.of());

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    List<StepResult> steps = run.attempts().getFirst().steps();
    assertThat(steps).extracting(StepResult::script).containsExactly("first.sh", "second.sh");
    assertThat(steps.get(1).stdout().text()).isEqualTo("second sees: built in step 1\n");
    assertThat(tmp.resolve("runs").resolve(run.id())).doesNotExist();
  }

  @Test
  void failingStepIsRetriedInAFreshDirectoryThenTheRunFails() throws Exception {
    ServicePackage pkg = service("""
        name: flaky
        runtime: bash
        steps: [run.sh, never.sh]
        retries: {max: 2, backoff: 50ms}
        """,
        "run.sh", "[ -e leftover ] && echo 'not fresh'; touch leftover; echo \"attempt $SLUICE_ATTEMPT\"; exit 3\n",
        "never.sh", "echo unreachable\n");

    long start = System.nanoTime();
    Run run = run(pkg, Map.of());

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error()).isEqualTo("step 0 (run.sh): exited with 3");
    assertThat(run.attempts()).hasSize(3).allSatisfy(attempt -> {
      assertThat(attempt.status()).isEqualTo(RunStatus.FAILED);
      assertThat(attempt.steps()).singleElement().satisfies(step -> {
        assertThat(step.exitCode()).isEqualTo(3);
        assertThat(step.stdout().text()).doesNotContain("not fresh");
      });
    });
    assertThat(run.attempts()).extracting(RunAttempt::number).containsExactly(1, 2, 3);
    assertThat(run.attempts().get(2).steps().getFirst().stdout().text()).isEqualTo("attempt 3\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }

  @Test
  void retrySucceedsAfterAFailedAttemptAndOnlyItsEventsCount() throws Exception {
    Path counter = tmp.resolve("counter");
    ServicePackage pkg = service("""
        name: second-time-lucky
        runtime: bash
        steps: [run.sh]
        retries: {max: 3, backoff: 10ms}
        environment: {COUNTER: %s}
        """.formatted(counter),
        "run.sh", """
        sluice_emit attempt.started "$SLUICE_ATTEMPT"
        if [ ! -e "$COUNTER" ]; then touch "$COUNTER"; exit 1; fi
        """);

    Run run = run(pkg, Map.of());

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.attempts()).extracting(RunAttempt::status).containsExactly(RunStatus.FAILED, RunStatus.SUCCEEDED);
    assertThat(run.attempts().getFirst().emitted()).hasSize(1);
    assertThat(run.emitted()).singleElement().satisfies(e -> assertThat(e.data().asInt()).isEqualTo(2));
  }

  @Test
  void timeoutKillsTheStepAndEveryProcessItSpawned() throws Exception {
    String marker = "1000." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    ServicePackage pkg = service("name: hang\nruntime: bash\nsteps: [run.sh]\ntimeout: 500ms\n", "run.sh", """
        sleep %1$s &
        ( sleep %1$s; echo never ) &
        bash -c 'sleep %1$s & wait' &
        echo spawned
        wait
        """.formatted(marker));

    CompletableFuture<Run> future = runner.run(pkg, orderPlaced(), Map.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> processesWith(marker).size() >= 3);
    Run run = future.get(30, TimeUnit.SECONDS);

    assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
    StepResult step = run.attempts().getFirst().steps().getFirst();
    assertThat(step.status()).isEqualTo(RunStatus.TIMED_OUT);
    assertThat(step.exitCode()).isEqualTo(137);
    assertThat(step.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(5));
    assertThat(step.stdout().text()).isEqualTo("spawned\n");
    assertThat(run.error()).contains("timed out after PT0.5S");
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(processesWith(marker)).isEmpty());
  }

  @Test
  void backgroundChildrenDoNotOutliveASuccessfulStep() throws Exception {
    String marker = "1000." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    ServicePackage pkg = service("name: leaky\nruntime: bash\nsteps: [run.sh]\n", "run.sh",
        "sleep %s > /dev/null 2>&1 &\necho left it running\n".formatted(marker));

    Run run = run(pkg, Map.of());

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(processesWith(marker)).isEmpty());
  }

  @Test
  void hugeOutputKeepsOnlyTheTail() throws Exception {
    ServicePackage pkg = service("name: chatty\nruntime: bash\nsteps: [run.sh]\n", "run.sh", """
        for i in $(seq 1 5000); do echo "line $i of noise"; done
        echo THE END
        """);

    Run run = run(pkg, Map.of());

    CapturedOutput out = run.attempts().getFirst().steps().getFirst().stdout();
    assertThat(out.truncated()).isTrue();
    assertThat(out.totalBytes()).isGreaterThan(80_000);
    assertThat(out.text()).startsWith("[truncated: kept the last 4096 of " + out.totalBytes() + " bytes]")
        .endsWith("line 5000 of noise\nTHE END\n")
        .hasSizeLessThan(4096 + 100);
  }

  @Test
  void declaredSecretsAndEnvironmentReachTheStepButNothingElse() throws Exception {
    ServicePackage pkg = service("""
        name: secretive
        runtime: bash
        steps: [run.sh]
        environment: {REGION: eu-1}
        secrets: [API_KEY]
        """, "run.sh", """
        echo "region=$REGION key=$API_KEY other=${OTHER_SECRET:-unset} java=${JAVA_HOME:-unset} home=$HOME"
        """);

    Run run = run(pkg, Map.of("API_KEY", "s3cr3t", "OTHER_SECRET", "nope"));

    assertThat(run.attempts().getFirst().steps().getFirst().stdout().text())
        .startsWith("region=eu-1 key=s3cr3t other=unset java=unset home=")
        .contains("attempt-1");
  }

  @Test
  void missingSecretFailsTheRunWithoutStartingIt() throws Exception {
    ServicePackage pkg = service("name: needy\nruntime: bash\nsteps: [run.sh]\nsecrets: [API_KEY, DB_PASSWORD]\n",
        "run.sh", "true\n");

    Run run = run(pkg, Map.of("API_KEY", "k"));

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.attempts()).isEmpty();
    assertThat(run.error()).isEqualTo("secrets not set for the service: DB_PASSWORD");
  }

  @Test
  void unknownRuntimeFailsTheStep() throws Exception {
    ServicePackage pkg = service("name: nort\nruntime: no-such-runtime-xyz\nsteps: [run.x]\n", "run.x", "x\n");

    Run run = run(pkg, Map.of());

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.attempts().getFirst().steps().getFirst().exitCode()).isEqualTo(127);
  }

  @Test
  void maxConcurrencyOneSerialisesRunsOfAService() throws Exception {
    Path lock = tmp.resolve("lock");
    ServicePackage pkg = service("name: serial\nruntime: bash\nsteps: [run.sh]\nenvironment: {LOCK: %s}\n"
        .formatted(lock), "run.sh", """
        mkdir "$LOCK" || { echo overlapped; exit 9; }
        sleep 0.2
        rmdir "$LOCK"
        """);

    List<CompletableFuture<Run>> runs = List.of(
        runner.run(pkg, orderPlaced(), Map.of()),
        runner.run(pkg, orderPlaced(), Map.of()),
        runner.run(pkg, orderPlaced(), Map.of()));

    for (CompletableFuture<Run> run : runs) {
      assertThat(run.get(30, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void closingTheRunnerInterruptsARunAndKillsItsProcesses() throws Exception {
    String marker = "1000." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    ServicePackage pkg = service("name: long\nruntime: bash\nsteps: [run.sh]\n", "run.sh",
        "sleep %s\n".formatted(marker));
    CompletableFuture<Run> future = runner.run(pkg, orderPlaced(), Map.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> !processesWith(marker).isEmpty());

    runner.close();

    Run run = future.get(10, TimeUnit.SECONDS);
    assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(processesWith(marker)).isEmpty());
  }

  private static List<ProcessHandle> processesWith(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(args -> List.of(args).contains(marker)).orElse(false))
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  @Test
  void aResumedRunGoesOnCountingAttemptsAndItsEarlierOnesCountAgainstTheRetries() throws Exception {
    ServicePackage pkg = service("name: resumed\nruntime: bash\nsteps: [fail.sh]\nretries: {max: 2, backoff: 10ms}\n",
        "fail.sh", "echo \"attempt $SLUICE_ATTEMPT\"; exit 1\n");
    Run earlier = Run.queued("run-resumed", "resumed", pkg.version(), "evt-1", orderPlaced(),
            java.time.Instant.now())
        .withAttempt(new RunAttempt(1, RunStatus.INTERRUPTED, java.time.Instant.now(), java.time.Instant.now(),
            List.of(), List.of(), "the node stopped during this attempt"));

    Run run = runner.run(earlier, pkg, Map.of()).get(30, TimeUnit.SECONDS);

    assertThat(run.id()).isEqualTo("run-resumed");
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.attempts()).extracting(RunAttempt::number).containsExactly(1, 2, 3);
    assertThat(run.attempts()).extracting(RunAttempt::status)
        .containsExactly(RunStatus.INTERRUPTED, RunStatus.FAILED, RunStatus.FAILED);
    assertThat(run.attempts().getLast().steps().getFirst().stdout().text()).isEqualTo("attempt 3\n");
  }

  @Test
  void leftoversOfAKilledProcessAreKilledOnlyWhenTheyCarryTheirRunsId() throws Exception {
    Path runs = tmp.resolve("leftover-runs");
    Path ours = Files.createDirectories(runs.resolve("run-a"));
    Process leftover = new ProcessBuilder("setsid", "sleep", "600").redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectErrorStream(true).start();
    ProcessBuilder tagged = new ProcessBuilder("setsid", "bash", "-c", "sleep 600 & wait");
    tagged.environment().put("SLUICE_RUN_ID", "run-a");
    Process step = tagged.start();
    Files.writeString(ours.resolve("attempt-1.step-0.pgid"), Long.toString(step.pid()));
    // A group file pointing at a process of another run (or a recycled pid) must not kill it.
    Files.writeString(ours.resolve("attempt-1.step-1.pgid"), Long.toString(leftover.pid()));
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> step.descendants().findAny().isPresent());
      List<ProcessHandle> children = step.descendants().toList();

      int killed = ServiceRunner.reapLeftovers(runs);

      assertThat(killed).isEqualTo(1 + children.size());
      assertThat(step.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(leftover.isAlive()).isTrue();
      assertThat(runs).isEmptyDirectory();
    } finally {
      leftover.destroyForcibly();
      step.destroyForcibly();
    }
  }
}
