package dev.sluice.sinks;

import dev.sluice.mapping.ColumnType;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A warehouse a sink loads into. Everything the rest of the sink needs from it is here, so another warehouse plugs
 * in by implementing these three calls. The target keeps, in table {@code _sluice_imports}, which offsets every
 * import covered: it is the source of truth for exactly-once.
 *
 * <p>Implementations need not be thread-safe: one importer uses one target.
 */
public interface Target extends AutoCloseable {

    /** A column of the sink's table. */
    record Column(String name, ColumnType type) {
    }

    /** One partition's offsets covered by an import. */
    record Range(TopicPartition partition, long firstOffset, long lastOffset, long rows) {
    }

    /**
     * A finished file: its slices (CSV with a header row, compressed as {@code compression} says) and the offsets
     * they cover, at most one range per partition.
     */
    record ImportFile(String sink, String fileId, List<Column> columns, List<Path> slices, String compression,
                      List<Range> ranges) {
    }

    /** What {@link #importFile} did. */
    enum Outcome {
        /** The rows were loaded and the ranges recorded. */
        IMPORTED,
        /** Every range had been recorded by an earlier import (a retry whose commit had succeeded): nothing done. */
        ALREADY_IMPORTED
    }

    /**
     * Creates the table and {@code _sluice_imports} when missing, else checks the table against the columns.
     *
     * @throws SinkSpecException naming the column when the table is incompatible
     */
    void ensureTable(String table, List<Column> columns) throws SQLException;

    /** The highest offset imported so far for each partition the sink has imported from. */
    Map<TopicPartition, Long> importedRanges(String sink) throws SQLException;

    /**
     * Loads the file's rows into the table and records its ranges in {@code _sluice_imports}, in one transaction.
     *
     * @throws StaleImportException when some but not all of its ranges overlap what was imported already
     */
    Outcome importFile(String table, ImportFile file) throws SQLException, IOException;

    @Override
    void close();

    /** An import that overlaps earlier imports in part: the writer must start again from the target's offsets. */
    final class StaleImportException extends IllegalStateException {
        public StaleImportException(String message) {
            super(message);
        }
    }
}
