package dev.sluice.services.internal.exec;

import dev.sluice.services.Run;
import dev.sluice.services.RunListener;
import dev.sluice.services.RunStatus;
import dev.sluice.services.ServiceEvent;
import dev.sluice.services.ServicePackage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** The engine behind {@code ServiceRunner}: one virtual thread per run, gated by the service's semaphore. */
public final class Runs implements AutoCloseable {
  private final Path runsDir;
  private final RunListener listener;
  private final Clock clock;
  private final int logLimit;
  private final ConcurrencyLimits limits = new ConcurrencyLimits();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  public Runs(Path runsDir, RunListener listener, Clock clock, int logLimit) {
    this.runsDir = runsDir;
    this.listener = listener;
    this.clock = clock;
    this.logLimit = logLimit;
  }

  public CompletableFuture<Run> start(ServicePackage pkg, ServiceEvent event, Map<String, String> secrets) {
    Run queued = new Run(RunIds.next(clock), pkg.manifest().name(), pkg.version(), event.id(), RunStatus.QUEUED,
        clock.instant(), null, null, List.of(), event, List.of(), null);
    return start(queued, pkg, secrets);
  }

  /** Runs {@code queued} (status QUEUED; its attempts, if any, count against the retries). */
  public CompletableFuture<Run> start(Run queued, ServicePackage pkg, Map<String, String> secrets) {
    notify(queued);
    List<String> missing = pkg.manifest().secrets().stream().filter(name -> secrets.get(name) == null).toList();
    if (!missing.isEmpty()) {
      return CompletableFuture.completedFuture(
          finishEarly(queued, RunStatus.FAILED, "secrets not set for the service: " + String.join(", ", missing)));
    }
    Map<String, String> secretValues = new java.util.HashMap<>();
    for (String name : pkg.manifest().secrets()) secretValues.put(name, secrets.get(name));
    Semaphore slots = limits.forService(pkg.manifest().name(), pkg.manifest().maxConcurrency());
    CompletableFuture<Run> result = new CompletableFuture<>();
    try {
      threads.execute(() -> {
        try {
          slots.acquire();
        } catch (InterruptedException e) {
          result.complete(finishEarly(queued, RunStatus.INTERRUPTED, "interrupted while queued"));
          return;
        }
        try {
          result.complete(new RunExecution(queued, pkg, secretValues, runsDir, listener, clock, logLimit).execute());
        } catch (Throwable t) {
          result.completeExceptionally(t);
        } finally {
          slots.release();
        }
      });
    } catch (RejectedExecutionException e) {
      result.complete(finishEarly(queued, RunStatus.INTERRUPTED, "the runner is closed"));
    }
    return result;
  }

  private Run finishEarly(Run queued, RunStatus status, String why) {
    Run finished = queued.finished(status, clock.instant(), List.of(), why);
    notify(finished);
    return finished;
  }

  private void notify(Run run) {
    try {
      listener.onRunChanged(run);
    } catch (RuntimeException e) {
      // Same rule as in RunExecution: listeners do not steer runs.
    }
  }

  /**
   * Kills what steps of an earlier process (one killed without a chance to clean up) left running, and deletes its run
   * directories. Each step's process group id is in its run's directory; a process is killed only when it is in such
   * a group and its environment carries that run's {@code SLUICE_RUN_ID}, so a recycled pid is never hit.
   *
   * @return how many processes were killed
   */
  public static int reapLeftovers(Path runsDir) {
    return Leftovers.reap(runsDir);
  }

  /** Interrupts every run (each kills its step's process tree and ends INTERRUPTED) and waits briefly for them. */
  @Override
  public void close() {
    threads.shutdownNow();
    try {
      threads.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
