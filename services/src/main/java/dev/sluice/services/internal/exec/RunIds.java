package dev.sluice.services.internal.exec;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/** UUIDv7 run ids: time-ordered, so runs listed by id are listed by start. */
final class RunIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  static String next(Clock clock) {
    long millis = clock.millis();
    long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
    long low = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
