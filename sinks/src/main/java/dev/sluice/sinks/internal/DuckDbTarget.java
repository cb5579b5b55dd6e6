package dev.sluice.sinks.internal;

import dev.sluice.mapping.ColumnType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/**
 * DuckDB: a database file (by default {@code <data.dir>/sinks/warehouse.duckdb}) loaded with DuckDB's own CSV reader,
 * which reads both compressions directly. {@code allow_quoted_nulls false} keeps a quoted empty string an empty
 * string.
 */
final class DuckDbTarget extends JdbcTarget {
    /**
     * How large DuckDB lets its write-ahead log grow before a commit checkpoints it into the database file. At the
     * default 16 MB every other import of a 50,000-row file checkpointed, recompressing the table's last row group
     * each time; fewer, larger checkpoints write each row group about once. The price is a longer log replay when the
     * database is opened after a crash.
     */
    static final String CHECKPOINT_THRESHOLD = "256MB";
    /**
     * DuckDB's worker threads: one core fewer than the machine has (at least one), so that an import, which overlaps
     * the writer's next file, does not take every core from the writer that feeds it.
     */
    static final int IMPORT_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

    DuckDbTarget(Path file) {
        super(() -> {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET checkpoint_threshold = '" + CHECKPOINT_THRESHOLD + "'");
                    statement.execute("SET threads = " + IMPORT_THREADS);
                }
                return connection;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Override
    String sqlType(ColumnType type) {
        return switch (type) {
            case STRING -> "VARCHAR";
            case LONG -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMP";
            case JSON -> "JSON";
        };
    }

    @Override
    Set<String> compatibleTypes(ColumnType type) {
        return switch (type) {
            case STRING -> Set.of("varchar");
            case LONG -> Set.of("bigint", "hugeint", "decimal(38,0)");
            case DOUBLE -> Set.of("double");
            case BOOLEAN -> Set.of("boolean");
            case TIMESTAMP -> Set.of("timestamp", "timestamp with time zone");
            case JSON -> Set.of("json", "varchar");
        };
    }

    /**
     * One {@code INSERT ... SELECT} over all the file's slices through {@code read_csv} with the columns and dialect
     * given, rather than a {@code COPY} per slice: each {@code COPY} sniffed its slice's dialect and types first (up to
     * 20,480 rows), and one statement lets DuckDB read the slices in parallel.
     */
    @Override
    void load(Connection connection, String table, List<Column> columns, List<Path> slices, String compression)
            throws SQLException {
        StringBuilder files = new StringBuilder("[");
        for (Path slice : slices) {
            files.append(files.length() > 1 ? ", " : "").append(literal(slice.toAbsolutePath().toString()));
        }
        files.append(']');
        StringBuilder types = new StringBuilder("{");
        for (Column column : columns) {
            types.append(types.length() > 1 ? ", " : "").append(literal(column.name())).append(": ")
                    .append(literal(sqlType(column.type())));
        }
        types.append('}');
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + quoteTable(table) + " (" + columnList(columns) + ") SELECT "
                    + columnList(columns) + " FROM read_csv(" + files + ", columns = " + types
                    + ", header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"',"
                    + " compression = " + literal(compression) + ", allow_quoted_nulls = false)");
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
