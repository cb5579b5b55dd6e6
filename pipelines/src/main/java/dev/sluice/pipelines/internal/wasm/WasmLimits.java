package dev.sluice.pipelines.internal.wasm;

import java.time.Duration;

/**
 * What one wasm step may use.
 *
 * @param maxMemoryPages the most 64 KiB pages its linear memory may reach: a module declaring more initial pages is
 *                       refused when the pipeline is compiled; a {@code memory.grow} past it returns -1, as the spec
 *                       says, and most modules then trap
 * @param timeout        how long one record may take, from handing it to a wasm worker to its answer
 */
public record WasmLimits(int maxMemoryPages, Duration timeout) {
    /** 16 MiB of memory and 100 ms per record. */
    public static final WasmLimits DEFAULT = new WasmLimits(256, Duration.ofMillis(100));

    public WasmLimits {
        if (maxMemoryPages < 1 || maxMemoryPages > 65536) {
            throw new IllegalArgumentException("maxMemoryPages must be 1..65536, not " + maxMemoryPages);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
    }

    /** "100 ms", as details and messages show the time limit. */
    String describeTimeout() {
        long millis = timeout.toMillis();
        return millis > 0 ? millis + " ms" : timeout.toNanos() / 1000 + " µs";
    }
}
