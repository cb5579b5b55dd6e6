package dev.sluice.sinks.internal;

import com.github.luben.zstd.ZstdInputStream;
import dev.sluice.mapping.ColumnType;
import dev.sluice.sinks.SinkSpec;
import dev.sluice.sinks.TargetSpec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.postgresql.PGConnection;

/**
 * PostgreSQL over JDBC: a slice is decompressed here and streamed with {@code COPY ... FROM STDIN (FORMAT csv,
 * HEADER)} (PgJDBC's {@code CopyManager}); imports of one sink are serialised with a transaction-scoped advisory lock.
 */
final class PostgresTarget extends JdbcTarget {

    PostgresTarget(String url, String user, String password) {
        super(() -> {
            Properties properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            properties.setProperty("connectTimeout", "10");
            properties.setProperty("socketTimeout", "300");
            try {
                return DriverManager.getConnection(url, properties);
            } catch (SQLException e) {
                // The driver may quote the URL ("No suitable driver found for jdbc:...?password=..."); this message
                // reaches the status, the REST API and the logs, so only a redacted copy of it travels on.
                SQLException shown = new SQLException(TargetSpec.redact(e.getMessage()), e.getSQLState(),
                        e.getErrorCode());
                shown.setStackTrace(e.getStackTrace());
                throw new IllegalStateException(shown.getMessage(), shown);
            }
        });
    }

    @Override
    String sqlType(ColumnType type) {
        return switch (type) {
            case STRING -> "text";
            case LONG -> "bigint";
            case DOUBLE -> "double precision";
            case BOOLEAN -> "boolean";
            case TIMESTAMP -> "timestamp";
            case JSON -> "jsonb";
        };
    }

    @Override
    Set<String> compatibleTypes(ColumnType type) {
        return switch (type) {
            case STRING -> Set.of("text", "character varying");
            case LONG -> Set.of("bigint", "numeric");
            case DOUBLE -> Set.of("double precision", "numeric");
            case BOOLEAN -> Set.of("boolean");
            case TIMESTAMP -> Set.of("timestamp without time zone", "timestamp with time zone");
            case JSON -> Set.of("jsonb", "json", "text");
        };
    }

    @Override
    void lockSink(Connection connection, String sink) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "sluice-sink:" + sink);
            lock.execute();
        }
    }

    @Override
    void load(Connection connection, String table, List<Column> columns, List<Path> slices, String compression)
            throws SQLException, IOException {
        for (Path slice : slices) {
            copy(connection, table, columns, slice, compression);
        }
    }

    private static void copy(Connection connection, String table, List<Column> columns, Path slice,
                             String compression) throws SQLException, IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(slice), 64 * 1024);
             InputStream csv = compression.equals(SinkSpec.ZSTD) ? new ZstdInputStream(raw)
                     : new GZIPInputStream(raw, 64 * 1024)) {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + quoteTable(table) + " ("
                    + columnList(columns) + ") FROM STDIN (FORMAT csv, HEADER)", csv);
        }
    }
}
