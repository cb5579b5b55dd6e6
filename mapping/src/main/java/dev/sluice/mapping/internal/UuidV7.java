package dev.sluice.mapping.internal;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by creation time. Within one
 * millisecond the 12-bit {@code rand_a} field counts up from a random start (the RFC's method 1 in short), which keeps
 * the ids of one process ordered even when generated faster than the clock ticks.
 */
final class UuidV7 {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The last (millisecond << 12 | counter) handed out. */
    private static final AtomicLong LAST = new AtomicLong();

    private UuidV7() {
    }

    static UUID next() {
        long now = System.currentTimeMillis();
        long stamp;
        long previous;
        do {
            previous = LAST.get();
            long candidate = (now << 12) | (RANDOM.nextInt(1 << 11));
            // Never go backwards: same or earlier millisecond than the last id continues its counter.
            stamp = candidate > previous ? candidate : previous + 1;
        } while (!LAST.compareAndSet(previous, stamp));
        long millis = stamp >>> 12;
        long counter = stamp & 0xFFF;
        long most = (millis << 16) | (0x7L << 12) | counter;
        long least = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }
}
