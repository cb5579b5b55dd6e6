package dev.sluice.services;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One execution of a service version for one input event, with all its attempts. Immutable: the runner reports each
 * change as a new {@code Run} to its {@link RunListener}.
 *
 * @param correlationId the input event's id, so emitted events and lifecycle events can be traced back to it
 * @param started       when the run left the queue, or null while queued
 * @param finished      null until the status is final
 * @param emitted       the events of the succeeded attempt; empty unless the run succeeded, so that retries never
 *                      publish an event twice
 * @param error         why the run did not succeed, or null
 */
public record Run(
    String id,
    String service,
    String version,
    String correlationId,
    RunStatus status,
    Instant queued,
    Instant started,
    Instant finished,
    List<RunAttempt> attempts,
    ServiceEvent input,
    List<ServiceEvent> emitted,
    String error) {

  public Run {
    attempts = List.copyOf(attempts);
    emitted = List.copyOf(emitted);
  }

  public Run withStatus(RunStatus newStatus) {
    return new Run(id, service, version, correlationId, newStatus, queued, started, finished, attempts, input, emitted,
        error);
  }

  /** A run waiting for its first attempt. */
  public static Run queued(String id, String service, String version, String correlationId, ServiceEvent input,
      Instant at) {
    return new Run(id, service, version, correlationId, RunStatus.QUEUED, at, null, null, List.of(), input, List.of(),
        null);
  }

  public Run started(Instant at) {
    return new Run(id, service, version, correlationId, RunStatus.RUNNING, queued, at, finished, attempts, input,
        emitted, error);
  }

  public Run withAttempt(RunAttempt attempt) {
    List<RunAttempt> all = new ArrayList<>(attempts);
    all.add(attempt);
    return new Run(id, service, version, correlationId, status, queued, started, finished, all, input, emitted, error);
  }

  public Run finished(RunStatus finalStatus, Instant at, List<ServiceEvent> emittedEvents, String why) {
    return new Run(id, service, version, correlationId, finalStatus, queued, started, at, attempts, input,
        emittedEvents, why);
  }
}
