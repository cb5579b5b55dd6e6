package dev.sluice.sinks.internal;

import dev.sluice.sinks.SinkSpecException;
import dev.sluice.sinks.Target;
import dev.sluice.sinks.TargetSpec;
import java.nio.file.Path;

/** Builds a sink's {@link Target} from its spec: the one place that knows every kind of target. */
public final class Targets {
    private Targets() {
    }

    /** The DuckDB file a target without a path uses. */
    public static Path defaultDuckDb(Path dataDir) {
        return dataDir.resolve("sinks").resolve("warehouse.duckdb");
    }

    public static Target create(TargetSpec spec, Path dataDir) {
        return switch (spec.type()) {
            case TargetSpec.DUCKDB -> new DuckDbTarget(spec.path() == null ? defaultDuckDb(dataDir)
                    : Path.of(spec.path()));
            case TargetSpec.POSTGRES -> new PostgresTarget(spec.url(), spec.user(), spec.password());
            default -> throw new SinkSpecException("target.type '" + spec.type() + "' is not one of duckdb, postgres");
        };
    }
}
