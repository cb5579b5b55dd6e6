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

  /** As runs are stored and shown: {@code succeeded}, {@code timed_out}. */
  @com.fasterxml.jackson.annotation.JsonValue
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the statuses there are */
  @com.fasterxml.jackson.annotation.JsonCreator
  public static RunStatus fromWireName(String name) {
    for (RunStatus status : values()) {
      if (status.wireName().equals(name)) return status;
    }
    throw new IllegalArgumentException("unknown run status '" + name + "' (queued, running, succeeded, failed, "
        + "timed_out, interrupted)");
  }

  public boolean isFinal() {
    return this != QUEUED && this != RUNNING;
  }
}
