package dev.sluice.services;

/** Where a run, or one attempt of it, stands. */
public enum RunStatus {
  /** Waiting for a slot under the service's maxConcurrency. */
  QUEUED,
  RUNNING,
  SUCCEEDED,
  /** A step exited non-zero, emitted a malformed event, or could not start. */
  FAILED,
  /** A step ran past the manifest's timeout; its whole process tree was killed. */
  TIMED_OUT,
  /** The runner was closed while the run was queued, running or waiting to retry. */
  INTERRUPTED;

  public boolean isFinal() {
    return this != QUEUED && this != RUNNING;
  }
}
