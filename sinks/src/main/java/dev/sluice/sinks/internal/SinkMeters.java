package dev.sluice.sinks.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.function.Supplier;

/**
 * One sink's meters, tagged {@code sink=<name>}. They belong to the sink, not to a writer: the engine keeps them
 * across the writer restarts that pausing, resuming and changing a sink cause, so counters never go back, and
 * removes them when the sink is deleted so its series end rather than linger.
 *
 * <p>Thread-safe.
 */
public final class SinkMeters implements AutoCloseable {
    public static final String RECORDS_WRITTEN = "sluice.sink.records.written";
    public static final String ROWS_IMPORTED = "sluice.sink.rows.imported";
    public static final String DEAD_LETTERED = "sluice.sink.dead.lettered";
    public static final String IMPORT_FAILURES = "sluice.sink.import.failures";
    public static final String IMPORT = "sluice.sink.import";
    public static final String LAG = "sluice.sink.lag";
    public static final String LOCAL_BYTES = "sluice.sink.slices.local.bytes";

    private final MeterRegistry registry;
    final Counter recordsWritten;
    final Counter rowsImported;
    final Counter deadLettered;
    final Counter importFailures;
    final Timer imports;
    private final List<Meter> all;

    /**
     * @param lag        the sink's current lag (read at each scrape)
     * @param localBytes bytes of its slices waiting for import on this node (read at each scrape)
     */
    public SinkMeters(MeterRegistry registry, String sink, Supplier<Number> lag, Supplier<Number> localBytes) {
        this.registry = registry;
        this.recordsWritten = Counter.builder(RECORDS_WRITTEN).tag("sink", sink)
                .description("Records written into slices (written again when unimported work is derived anew)")
                .register(registry);
        this.rowsImported = Counter.builder(ROWS_IMPORTED).tag("sink", sink)
                .description("Rows imported into the target table").register(registry);
        this.deadLettered = Counter.builder(DEAD_LETTERED).tag("sink", sink)
                .description("Records sent to the sink's dead-letter topic").register(registry);
        this.importFailures = Counter.builder(IMPORT_FAILURES).tag("sink", sink)
                .description("Import attempts that failed (each retry counts)").register(registry);
        this.imports = Timer.builder(IMPORT).tag("sink", sink)
                .description("Import transactions into the target, from connecting to commit").register(registry);
        Gauge lagGauge = Gauge.builder(LAG, lag, SinkMeters::value).tag("sink", sink).strongReference(true)
                .description("Records in the sink's topics not yet written by it").register(registry);
        Gauge localGauge = Gauge.builder(LOCAL_BYTES, localBytes, SinkMeters::value).tag("sink", sink)
                .strongReference(true).description("Bytes of compressed slices waiting on this node for import")
                .register(registry);
        this.all = List.of(recordsWritten, rowsImported, deadLettered, importFailures, imports, lagGauge,
                localGauge);
    }

    private static double value(Supplier<Number> supplier) {
        Number value = supplier.get();
        return value == null ? Double.NaN : value.doubleValue();
    }

    /** Removes the sink's meters from the registry. */
    @Override
    public void close() {
        all.forEach(registry::remove);
    }
}
