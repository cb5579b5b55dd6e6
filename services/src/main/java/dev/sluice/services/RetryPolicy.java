package dev.sluice.services;

import java.time.Duration;

/**
 * How often a failed run is re-run: up to {@code maxRetries} more attempts, waiting {@code backoff} before the first
 * retry and doubling the wait each time, never more than {@code maxBackoff}.
 */
public record RetryPolicy(int maxRetries, Duration backoff, Duration maxBackoff) {
  public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(60));

  public RetryPolicy {
    if (maxRetries < 0) throw new IllegalArgumentException("maxRetries < 0");
    if (backoff.isNegative() || maxBackoff.isNegative()) throw new IllegalArgumentException("negative backoff");
  }

  /** The wait before retry number {@code retry} (1 for the first retry). */
  public Duration delayBefore(int retry) {
    Duration delay = backoff;
    for (int i = 1; i < retry && delay.compareTo(maxBackoff) < 0; i++) delay = delay.multipliedBy(2);
    return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
  }
}
