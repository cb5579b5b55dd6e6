package dev.sluice.sinks.internal;

import dev.sluice.mapping.ColumnType;
import dev.sluice.sinks.SinkSpecException;
import dev.sluice.sinks.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * What DuckDB and PostgreSQL share: the {@code _sluice_imports} table, creating or checking the sink's table from
 * {@code information_schema}, and the import transaction (check the ranges, load the slices, record the ranges,
 * commit). Subclasses say how a type is spelled and how a slice is loaded.
 *
 * <p>Not thread-safe: one importer at a time. The connection is opened on first use and again after a failure.
 */
abstract class JdbcTarget implements Target {
    static final String IMPORTS = "_sluice_imports";

    private final Supplier<Connection> connect;
    private Connection connection;

    JdbcTarget(Supplier<Connection> connect) {
        this.connect = connect;
    }

    /** The SQL type a new column of this type gets. */
    abstract String sqlType(ColumnType type);

    /** The {@code information_schema.columns.data_type} values (lower case) an existing column may have. */
    abstract Set<String> compatibleTypes(ColumnType type);

    /** Loads a file's slices (in order) into the table, inside the open transaction. */
    abstract void load(Connection connection, String table, List<Column> columns, List<Path> slices,
                       String compression) throws SQLException, IOException;

    /** Serialises imports of one sink across connections, inside the open transaction (PostgreSQL); none by default. */
    void lockSink(Connection connection, String sink) throws SQLException {
    }

    final Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            try {
                connection = connect.get();
            } catch (RuntimeException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw e;
            }
        }
        return connection;
    }

    private void dropConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is broken already
            }
            connection = null;
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String quoteTable(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? quote(table) : quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
    }

    static String columnList(List<Column> columns) {
        StringBuilder list = new StringBuilder();
        for (Column column : columns) {
            if (!list.isEmpty()) {
                list.append(", ");
            }
            list.append(quote(column.name()));
        }
        return list.toString();
    }

    @Override
    public void ensureTable(String table, List<Column> columns) throws SQLException {
        try {
            Connection c = connection();
            c.setAutoCommit(true);
            try (Statement statement = c.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + IMPORTS + " (sink VARCHAR(200) NOT NULL, "
                        + "file_id VARCHAR(200) NOT NULL, topic VARCHAR(300) NOT NULL, \"partition\" INTEGER NOT NULL, "
                        + "first_offset BIGINT NOT NULL, last_offset BIGINT NOT NULL, \"rows\" BIGINT NOT NULL, "
                        + "imported_at TIMESTAMP NOT NULL)");
            }
            Map<String, String> existing = existingColumns(c, table);
            if (existing.isEmpty()) {
                StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS " + quoteTable(table) + " (");
                for (int i = 0; i < columns.size(); i++) {
                    ddl.append(i == 0 ? "" : ", ").append(quote(columns.get(i).name())).append(' ')
                            .append(sqlType(columns.get(i).type()));
                }
                try (Statement statement = c.createStatement()) {
                    statement.execute(ddl.append(')').toString());
                }
                return;
            }
            for (Column column : columns) {
                String type = existing.get(column.name());
                if (type == null) {
                    throw new SinkSpecException("mapping: column '" + column.name() + "' is not in table '" + table
                            + "' (it has " + String.join(", ", existing.keySet()) + ")");
                }
                if (!compatibleTypes(column.type()).contains(type)) {
                    throw new SinkSpecException("mapping: column '" + column.name() + "' is " + column.type().spelling()
                            + " but table '" + table + "' has it as " + type + " (expected one of "
                            + String.join(", ", compatibleTypes(column.type())) + ")");
                }
            }
        } catch (SQLException e) {
            dropConnection();
            throw e;
        }
    }

    private static Map<String, String> existingColumns(Connection c, String table) throws SQLException {
        int dot = table.indexOf('.');
        String schema = dot < 0 ? null : table.substring(0, dot);
        String name = dot < 0 ? table : table.substring(dot + 1);
        Map<String, String> columns = new java.util.LinkedHashMap<>();
        try (PreparedStatement query = c.prepareStatement("SELECT column_name, data_type FROM "
                + "information_schema.columns WHERE table_name = ? AND table_schema = coalesce(?, current_schema()) "
                + "ORDER BY ordinal_position")) {
            query.setString(1, name);
            query.setString(2, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.put(rows.getString(1), rows.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        return columns;
    }

    @Override
    public Map<TopicPartition, Long> importedRanges(String sink) throws SQLException {
        try {
            Connection c = connection();
            c.setAutoCommit(true);
            return lastOffsets(c, sink);
        } catch (SQLException e) {
            dropConnection();
            throw e;
        }
    }

    private static Map<TopicPartition, Long> lastOffsets(Connection c, String sink) throws SQLException {
        Map<TopicPartition, Long> last = new HashMap<>();
        try (PreparedStatement query = c.prepareStatement("SELECT topic, \"partition\", max(last_offset) FROM "
                + IMPORTS + " WHERE sink = ? GROUP BY topic, \"partition\"")) {
            query.setString(1, sink);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    last.put(new TopicPartition(rows.getString(1), rows.getInt(2)), rows.getLong(3));
                }
            }
        }
        return last;
    }

    @Override
    public Outcome importFile(String table, ImportFile file) throws SQLException, IOException {
        Connection c;
        try {
            c = connection();
            c.setAutoCommit(false);
        } catch (SQLException e) {
            dropConnection();
            throw e;
        }
        try {
            lockSink(c, file.sink());
            Map<TopicPartition, Long> last = lastOffsets(c, file.sink());
            int covered = 0;
            for (Range range : file.ranges()) {
                Long imported = last.get(range.partition());
                if (imported != null && range.firstOffset() <= imported) {
                    covered++;
                }
            }
            if (covered > 0) {
                c.rollback();
                if (covered == file.ranges().size()) {
                    return Outcome.ALREADY_IMPORTED;
                }
                throw new StaleImportException("file " + file.fileId() + " overlaps offsets imported before");
            }
            load(c, table, file.columns(), file.slices(), file.compression());
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + IMPORTS + " (sink, file_id, topic, "
                    + "\"partition\", first_offset, last_offset, \"rows\", imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                for (Range range : file.ranges()) {
                    insert.setString(1, file.sink());
                    insert.setString(2, file.fileId());
                    insert.setString(3, range.partition().topic());
                    insert.setInt(4, range.partition().partition());
                    insert.setLong(5, range.firstOffset());
                    insert.setLong(6, range.lastOffset());
                    insert.setLong(7, range.rows());
                    insert.setTimestamp(8, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
            return Outcome.IMPORTED;
        } catch (SQLException | IOException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is dropped below anyway
            }
            if (!(e instanceof StaleImportException)) {
                dropConnection();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        dropConnection();
    }
}
