package dev.sluice.services.internal.exec;

import dev.sluice.services.CapturedOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one step as a subprocess and makes sure nothing of it outlives the step.
 *
 * <p>The step starts under {@code setsid}, so it leads a new session and process group whose id is its pid; when it
 * exits, times out or the run is interrupted, the whole group is killed with SIGKILL — background children and
 * grandchildren included — plus any descendant still visible to {@link ProcessHandle} (one that started its own
 * session). Without {@code setsid} (not Linux) only the descendants are killed.
 *
 * <p>Java cannot hand a child an extra file descriptor, so a small bash wrapper opens fd 3 for append on the step's
 * events file and then {@code exec}s the runtime: {@code bash -c 'exec 3>>"$SLUICE_EVENTS_FILE" && exec "$0" "$@"'
 * runtime script}. stdin is the event file itself, so a step that never reads it cannot block us.
 */
final class StepProcess {
  private static final String FD3_WRAPPER = "exec 3>>\"$SLUICE_EVENTS_FILE\" && exec \"$0\" \"$@\"";
  private static final String SETSID = findSetsid();
  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

  /** @param exitCode -1 when the process could not start */
  record Outcome(int exitCode, boolean timedOut, Duration duration, CapturedOutput stdout, CapturedOutput stderr) {}

  private StepProcess() {}

  static Outcome run(String runtime, String script, Path workDir, Path stdin, Map<String, String> environment,
      Duration timeout, int logLimit, Path groupFile) throws IOException, InterruptedException {
    List<String> command = SETSID == null
        ? List.of("bash", "-c", FD3_WRAPPER, runtime, script)
        : List.of(SETSID, "bash", "-c", FD3_WRAPPER, runtime, script);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectInput(stdin.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);

    TailBuffer stdout = new TailBuffer(logLimit);
    TailBuffer stderr = new TailBuffer(logLimit);
    long startNanos = System.nanoTime();
    Process process = builder.start();
    if (SETSID != null) {
      // For Leftovers: if this JVM dies without killing the group, the next one finds and kills it.
      Files.writeString(groupFile, Long.toString(process.pid()));
    }
    Thread stdoutReader = Thread.ofVirtual().start(() -> drain(process.getInputStream(), stdout));
    Thread stderrReader = Thread.ofVirtual().start(() -> drain(process.getErrorStream(), stderr));
    boolean timedOut = false;
    try {
      timedOut = !process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      // Also on normal exit: a step's background children must not outlive it (nor hold its output pipes open).
      killTree(process);
    }
    int exitCode = process.waitFor();
    Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
    awaitOutput(process, stdoutReader, stderrReader);
    return new Outcome(exitCode, timedOut, duration, stdout.captured(), stderr.captured());
  }

  private static void killTree(Process process) throws InterruptedException {
    List<ProcessHandle> descendants = process.descendants().toList();
    if (SETSID != null) {
      // The group outlives its leader while any member lives, and Linux does not reuse a pid that is still a group
      // id; once all members are gone the id could only come back after the pid space wraps, which the moments
      // between the leader's exit and this kill do not allow in practice.
      try {
        Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        kill.waitFor(5, TimeUnit.SECONDS);
      } catch (IOException e) {
        // kill(1) missing: fall back to the descendants we can see.
      }
    }
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  private static void awaitOutput(Process process, Thread stdoutReader, Thread stderrReader)
      throws InterruptedException {
    stdoutReader.join(OUTPUT_DRAIN);
    stderrReader.join(OUTPUT_DRAIN);
    // Something escaped the kill and still holds a pipe; stop waiting for it.
    closeQuietly(process.getInputStream());
    closeQuietly(process.getErrorStream());
  }

  private static void drain(InputStream in, TailBuffer into) {
    byte[] buffer = new byte[16 * 1024];
    try (in) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) into.write(buffer, 0, n);
    } catch (IOException e) {
      // The stream was closed under us after the step ended; what was read is kept.
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  private static String findSetsid() {
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
      if (Files.isExecutable(Path.of(candidate))) return candidate;
    }
    return null;
  }
}
