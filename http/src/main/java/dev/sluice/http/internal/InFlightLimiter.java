package dev.sluice.http.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the bytes accepted from HTTP sources but not yet acknowledged by the broker, per source and in total, so a
 * burst or a slow disk makes clients back off (429 or 503 with Retry-After) instead of growing a queue.
 *
 * <p>Thread-safe, lock-free.
 */
final class InFlightLimiter {
    enum Outcome { ACQUIRED, SOURCE_FULL, TOTAL_FULL }

    private final long perSource;
    private final long total;
    private final AtomicLong inFlight = new AtomicLong();
    private final Map<String, AtomicLong> bySource = new ConcurrentHashMap<>();

    InFlightLimiter(long perSource, long total) {
        this.perSource = perSource;
        this.total = total;
    }

    /**
     * Takes {@code bytes} for {@code source}. A request is admitted when nothing is in flight even if it alone is
     * larger than a limit, so no body under the size limit is refused forever.
     */
    Outcome tryAcquire(String source, long bytes) {
        AtomicLong mine = bySource.computeIfAbsent(source, k -> new AtomicLong());
        long after = mine.addAndGet(bytes);
        if (after > perSource && after != bytes) {
            mine.addAndGet(-bytes);
            return Outcome.SOURCE_FULL;
        }
        long all = inFlight.addAndGet(bytes);
        if (all > total && all != bytes) {
            inFlight.addAndGet(-bytes);
            mine.addAndGet(-bytes);
            return Outcome.TOTAL_FULL;
        }
        return Outcome.ACQUIRED;
    }

    void release(String source, long bytes) {
        inFlight.addAndGet(-bytes);
        AtomicLong mine = bySource.get(source);
        if (mine != null) {
            mine.addAndGet(-bytes);
        }
    }

    long inFlight() {
        return inFlight.get();
    }
}
