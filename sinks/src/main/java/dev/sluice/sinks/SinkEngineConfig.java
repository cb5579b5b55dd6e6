package dev.sluice.sinks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link SinkEngine} needs: Kafka client settings for the broker (at least {@code bootstrap.servers}; SASL
 * settings when auth is on), the data directory (slices under {@code <dataDir>/sinks/<name>/}, staging under
 * {@code <dataDir>/sinks/staging/}, the default DuckDB file {@code <dataDir>/sinks/warehouse.duckdb}), how many
 * bytes of unimported slices a sink may keep locally before it pauses consuming (default 1 GiB) and the registry its
 * per-sink meters go to (default: one that keeps nothing).
 */
public record SinkEngineConfig(Map<String, Object> kafka, Path dataDir, long maxLocalBytes, MeterRegistry meters) {
    public static final long DEFAULT_MAX_LOCAL_BYTES = 1L << 30;

    public static SinkEngineConfig of(Map<String, Object> kafka, Path dataDir) {
        // A composite registry without children is Micrometer's no-op: meters register and record nothing.
        return new SinkEngineConfig(Map.copyOf(kafka), dataDir, DEFAULT_MAX_LOCAL_BYTES, new CompositeMeterRegistry());
    }

    public SinkEngineConfig withMaxLocalBytes(long bytes) {
        return new SinkEngineConfig(kafka, dataDir, bytes, meters);
    }

    /** The node's registry: the engine adds each sink's meters ({@code sluice.sink.*}, tag {@code sink}). */
    public SinkEngineConfig withMeters(MeterRegistry registry) {
        return new SinkEngineConfig(kafka, dataDir, maxLocalBytes, registry);
    }
}
