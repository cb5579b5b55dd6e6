package dev.sluice.services.internal.exec;

import dev.sluice.services.CapturedOutput;
import dev.sluice.services.Run;
import dev.sluice.services.RunAttempt;
import dev.sluice.services.RunListener;
import dev.sluice.services.RunStatus;
import dev.sluice.services.ServiceEvent;
import dev.sluice.services.ServiceManifest;
import dev.sluice.services.ServicePackage;
import dev.sluice.services.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one service version for one event: attempts with backoff until one succeeds or retries run out. Each
 * attempt unpacks the package into a fresh working directory that all its steps share, so a step can leave files for
 * the next one, and a retry never sees a failed attempt's leftovers. The run's directory is deleted when it ends.
 */
final class RunExecution {
  private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);
  private static final List<String> INHERITED = List.of(
      "PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "USER", "PYENV_ROOT", "PYENV_VERSION");
  private static final long MAX_EVENTS_FILE_BYTES = 10L * 1024 * 1024;

  private final ServicePackage pkg;
  private final ServiceManifest manifest;
  private final Map<String, String> secrets;
  private final Path runDir;
  private final RunListener listener;
  private final Clock clock;
  private final int logLimit;
  private Run run;

  RunExecution(Run queued, ServicePackage pkg, Map<String, String> secrets, Path runsDir, RunListener listener,
      Clock clock, int logLimit) {
    this.run = queued;
    this.pkg = pkg;
    this.manifest = pkg.manifest();
    this.secrets = secrets;
    this.runDir = runsDir.resolve(queued.id());
    this.listener = listener;
    this.clock = clock;
    this.logLimit = logLimit;
  }

  /** Runs to a final status; never throws — every failure ends up in the returned run. */
  Run execute() {
    update(run.started(run.started() != null ? run.started() : clock.instant()));
    try {
      // A resumed run (after a restart) goes on counting from the attempts it had.
      for (int attempt = run.attempts().size() + 1; ; attempt++) {
        RunAttempt result = attempt(attempt);
        update(run.withAttempt(result));
        if (result.status() == RunStatus.SUCCEEDED) return finish(RunStatus.SUCCEEDED, result.emitted(), null);
        if (attempt > manifest.retries().maxRetries()) return finish(result.status(), List.of(), result.error());
        Thread.sleep(manifest.retries().delayBefore(attempt));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return finish(RunStatus.INTERRUPTED, List.of(), "interrupted: the runner is shutting down");
    } catch (RuntimeException | IOException e) {
      return finish(RunStatus.FAILED, List.of(), "could not run: " + e);
    } finally {
      deleteQuietly(runDir);
    }
  }

  private RunAttempt attempt(int number) throws IOException, InterruptedException {
    Instant started = clock.instant();
    Path workDir = runDir.resolve("attempt-" + number);
    pkg.unpackInto(workDir);
    StepHelpers.writeInto(workDir);
    Path eventFile = workDir.resolve(StepHelpers.EVENT);
    Files.write(eventFile, EventJson.JSON.writeValueAsBytes(EventJson.toJson(run.input())));

    List<StepResult> steps = new ArrayList<>();
    List<ServiceEvent> emitted = new ArrayList<>();
    for (int i = 0; i < manifest.steps().size(); i++) {
      String script = manifest.steps().get(i);
      Path eventsFile = runDir.resolve("attempt-" + number + ".step-" + i + ".events.jsonl");
      Map<String, String> env = environment(workDir, eventFile, eventsFile, number, i);
      StepResult step;
      try {
        Path groupFile = runDir.resolve("attempt-" + number + ".step-" + i + ".pgid");
        StepProcess.Outcome outcome = StepProcess.run(manifest.runtime(), script, workDir, eventFile, env,
            manifest.timeout(), logLimit, groupFile);
        step = judge(script, outcome, eventsFile, emitted);
      } catch (IOException e) {
        step = new StepResult(script, RunStatus.FAILED, -1, Duration.ZERO, CapturedOutput.EMPTY, CapturedOutput.EMPTY,
            "could not start: " + e.getMessage());
      }
      steps.add(step);
      if (step.status() != RunStatus.SUCCEEDED) {
        String why = "step " + i + " (" + script + "): " + step.error();
        return new RunAttempt(number, step.status(), started, clock.instant(), steps, emitted, why);
      }
    }
    return new RunAttempt(number, RunStatus.SUCCEEDED, started, clock.instant(), steps, emitted, null);
  }

  /** The exit code decides, unless the step timed out or wrote an event line we cannot read. */
  private StepResult judge(String script, StepProcess.Outcome outcome, Path eventsFile, List<ServiceEvent> emitted)
      throws IOException {
    RunStatus status = RunStatus.SUCCEEDED;
    String error = null;
    if (outcome.timedOut()) {
      status = RunStatus.TIMED_OUT;
      error = "timed out after " + manifest.timeout() + "; its process tree was killed";
    } else if (outcome.exitCode() != 0) {
      status = RunStatus.FAILED;
      error = "exited with " + outcome.exitCode();
    }
    if (Files.exists(eventsFile)) {
      try {
        emitted.addAll(readEmitted(eventsFile));
      } catch (IllegalArgumentException e) {
        if (status == RunStatus.SUCCEEDED) {
          status = RunStatus.FAILED;
          error = e.getMessage();
        }
      }
    }
    return new StepResult(script, status, outcome.exitCode(), outcome.duration(), outcome.stdout(), outcome.stderr(),
        error);
  }

  private List<ServiceEvent> readEmitted(Path eventsFile) throws IOException {
    if (Files.size(eventsFile) > MAX_EVENTS_FILE_BYTES) {
      throw new IllegalArgumentException("emitted more than " + MAX_EVENTS_FILE_BYTES + " bytes of events on fd 3");
    }
    List<String> lines = Files.readAllLines(eventsFile, StandardCharsets.UTF_8);
    List<ServiceEvent> events = new ArrayList<>();
    String defaultSource = "sluice:service/" + manifest.name();
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) continue;
      try {
        events.add(EventJson.parseEmitted(lines.get(i), defaultSource, now));
      } catch (IllegalArgumentException e) {
        String line = lines.get(i).length() > 200 ? lines.get(i).substring(0, 200) + "…" : lines.get(i);
        throw new IllegalArgumentException("emitted event on fd 3, line " + (i + 1) + ", " + e.getMessage() + ": "
            + line);
      }
    }
    return events;
  }

  private Map<String, String> environment(Path workDir, Path eventFile, Path eventsFile, int attempt, int step) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : INHERITED) {
      String value = System.getenv(name);
      if (value != null) env.put(name, value);
    }
    env.putAll(manifest.environment());
    for (String name : manifest.secrets()) env.put(name, secrets.get(name));
    env.putAll(EventJson.environment(run.input()));
    env.put("HOME", workDir.toString());
    env.put("PYTHONPATH", workDir.toString());
    env.put("BASH_ENV", workDir.resolve(StepHelpers.BASH).toString());
    env.put("SLUICE_RUN_ID", run.id());
    env.put("SLUICE_SERVICE", manifest.name());
    env.put("SLUICE_SERVICE_VERSION", pkg.version());
    env.put("SLUICE_ATTEMPT", Integer.toString(attempt));
    env.put("SLUICE_STEP", Integer.toString(step));
    env.put("SLUICE_EVENT_FILE", eventFile.toString());
    env.put("SLUICE_EVENTS_FILE", eventsFile.toString());
    return env;
  }

  private Run finish(RunStatus status, List<ServiceEvent> emitted, String error) {
    update(run.finished(status, clock.instant(), emitted, error));
    return run;
  }

  private void update(Run changed) {
    run = changed;
    try {
      listener.onRunChanged(changed);
    } catch (RuntimeException e) {
      // A listener's failure (say, its store is down) must not change how the run goes.
      LOG.warn("run listener failed for run {} of {}", changed.id(), changed.service(), e);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover run directory costs disk, not correctness.
    }
  }
}
