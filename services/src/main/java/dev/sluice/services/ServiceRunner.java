package dev.sluice.services;

import dev.sluice.services.internal.exec.Runs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a service version's steps for one event, as subprocesses, and reports each run to a {@link RunListener}.
 * Example:
 *
 * <pre>
 * try (ServiceRunner runner = new ServiceRunner(Path.of("data/runs"), runs::save)) {
 *   Run run = runner.run(pkg, event, Map.of("S3_KEY", key)).join();
 * }
 * </pre>
 *
 * <p>The contract with a step (stdin and {@code event.json}, {@code CE_*} and {@code SLUICE_*} variables, events on
 * fd 3, exit codes, timeouts) is in the module README. Runs of one service never exceed its manifest's
 * maxConcurrency; extra runs queue in order. Thread-safe.
 */
public final class ServiceRunner implements AutoCloseable {
  /** Per step and stream; beyond it only the tail is kept. */
  public static final int DEFAULT_LOG_LIMIT_BYTES = 1024 * 1024;

  private final Runs runs;

  /** @param runsDir where each run gets its working directories; they are deleted when the run ends */
  public ServiceRunner(Path runsDir, RunListener listener) {
    this(runsDir, listener, Clock.systemUTC(), DEFAULT_LOG_LIMIT_BYTES);
  }

  public ServiceRunner(Path runsDir, RunListener listener, Clock clock, int logLimitBytes) {
    if (logLimitBytes < 0) throw new IllegalArgumentException("logLimitBytes < 0");
    this.runs = new Runs(runsDir, listener, clock, logLimitBytes);
  }

  /**
   * Queues a run of {@code pkg} for {@code event}. The future completes with the run in its final status; it never
   * completes exceptionally for a failing service — failures are statuses.
   *
   * @param secrets values for (at least) the names in the manifest's {@code secrets}; only those reach the steps
   */
  public CompletableFuture<Run> run(ServicePackage pkg, ServiceEvent event, Map<String, String> secrets) {
    return runs.start(pkg, event, secrets);
  }

  /**
   * Runs a run the caller built (its id chosen by the caller, status QUEUED): a new one from {@link Run#queued}, or
   * one resumed after a restart, whose earlier attempts count against the retries.
   */
  public CompletableFuture<Run> run(Run queued, ServicePackage pkg, Map<String, String> secrets) {
    if (queued.status() != RunStatus.QUEUED) throw new IllegalArgumentException("not queued: " + queued.status());
    return runs.start(queued, pkg, secrets);
  }

  /** See {@link Runs#reapLeftovers}: kills step processes an earlier, killed process left behind. */
  public static int reapLeftovers(Path runsDir) {
    return Runs.reapLeftovers(runsDir);
  }

  /** Interrupts queued and running runs; their process trees are killed and they end {@link RunStatus#INTERRUPTED}. */
  @Override
  public void close() {
    runs.close();
  }
}
