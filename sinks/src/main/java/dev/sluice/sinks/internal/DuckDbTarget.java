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
 * DuckDB: a database file (by default {@code <data.dir>/sinks/warehouse.duckdb}) loaded with DuckDB's own
 * {@code COPY ... FROM '<slice>' (FORMAT csv, HEADER, COMPRESSION gzip|zstd)}, which reads both compressions
 * directly. {@code allow_quoted_nulls false} keeps a quoted empty string an empty string.
 */
final class DuckDbTarget extends JdbcTarget {

    DuckDbTarget(Path file) {
        super(() -> {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
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

    @Override
    void load(Connection connection, String table, List<Column> columns, Path slice, String compression)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("COPY " + quoteTable(table) + " (" + columnList(columns) + ") FROM '"
                    + slice.toAbsolutePath().toString().replace("'", "''") + "' (FORMAT csv, HEADER, COMPRESSION "
                    + compression + ", allow_quoted_nulls false)");
        }
    }
}
