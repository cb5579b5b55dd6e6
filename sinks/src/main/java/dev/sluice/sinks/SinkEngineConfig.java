package dev.sluice.sinks;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link SinkEngine} needs: Kafka client settings for the broker (at least {@code bootstrap.servers}; SASL
 * settings when auth is on), the data directory (slices under {@code <dataDir>/sinks/<name>/}, staging under
 * {@code <dataDir>/sinks/staging/}, the default DuckDB file {@code <dataDir>/sinks/warehouse.duckdb}) and how many
 * bytes of unimported slices a sink may keep locally before it pauses consuming (default 1 GiB).
 */
public record SinkEngineConfig(Map<String, Object> kafka, Path dataDir, long maxLocalBytes) {
    public static final long DEFAULT_MAX_LOCAL_BYTES = 1L << 30;

    public static SinkEngineConfig of(Map<String, Object> kafka, Path dataDir) {
        return new SinkEngineConfig(Map.copyOf(kafka), dataDir, DEFAULT_MAX_LOCAL_BYTES);
    }

    public SinkEngineConfig withMaxLocalBytes(long bytes) {
        return new SinkEngineConfig(kafka, dataDir, bytes);
    }
}
