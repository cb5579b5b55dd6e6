package dev.sluice.services.internal.exec;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One fair semaphore per service, sized by its manifest's maxConcurrency, so extra runs wait in arrival order. When a
 * new version changes the limit, new runs use a new semaphore while runs holding the old one finish.
 */
final class ConcurrencyLimits {
  private record Limit(int permits, Semaphore semaphore) {}

  private final ConcurrentHashMap<String, Limit> byService = new ConcurrentHashMap<>();

  Semaphore forService(String service, int maxConcurrency) {
    return byService.compute(service, (name, current) ->
        current != null && current.permits() == maxConcurrency
            ? current
            : new Limit(maxConcurrency, new Semaphore(maxConcurrency, true))).semaphore();
  }
}
