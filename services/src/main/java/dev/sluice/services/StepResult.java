package dev.sluice.services;

import java.time.Duration;

/**
 * One step's process in one attempt.
 *
 * @param exitCode the process's exit code; 128+signal when killed (137 after a timeout), -1 when it never started
 * @param error    why the step failed beyond its exit code (timeout, malformed emitted event, could not start), or null
 */
public record StepResult(
    String script,
    RunStatus status,
    int exitCode,
    Duration duration,
    CapturedOutput stdout,
    CapturedOutput stderr,
    String error) {}
