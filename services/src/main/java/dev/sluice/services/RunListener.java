package dev.sluice.services;

/**
 * Told of every change to a run: queued, started, each finished attempt, and the final status. Called on the run's
 * own thread, in order for one run; implementations must be thread-safe across runs and should not block for long.
 */
@FunctionalInterface
public interface RunListener {
  RunListener NONE = run -> {};

  void onRunChanged(Run run);
}
