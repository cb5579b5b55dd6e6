package dev.sluice.services;

import java.time.Instant;
import java.util.List;

/**
 * One try at a run: every step from the first, in a fresh working directory.
 *
 * @param emitted the events the attempt's steps wrote to fd 3, in order
 * @param error   why the attempt did not succeed, or null
 */
public record RunAttempt(
    int number,
    RunStatus status,
    Instant started,
    Instant finished,
    List<StepResult> steps,
    List<ServiceEvent> emitted,
    String error) {

  public RunAttempt {
    steps = List.copyOf(steps);
    emitted = List.copyOf(emitted);
  }
}
