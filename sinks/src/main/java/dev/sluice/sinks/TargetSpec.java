package dev.sluice.sinks;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.regex.Pattern;

/**
 * Where a sink's rows go: {@code {"type": "duckdb", "path": "/data/w.duckdb", "table": "events"}} (path optional:
 * {@code <data.dir>/sinks/warehouse.duckdb}) or {@code {"type": "postgres", "url": "jdbc:postgresql://host/db",
 * "user": "u", "password": "p", "table": "events"}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetSpec(String type, String path, String url, String user, String password, String table) {
    public static final String DUCKDB = "duckdb";
    public static final String POSTGRES = "postgres";

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    public static TargetSpec duckDb(String path, String table) {
        return new TargetSpec(DUCKDB, path, null, null, null, table);
    }

    public static TargetSpec postgres(String url, String user, String password, String table) {
        return new TargetSpec(POSTGRES, null, url, user, password, table);
    }

    void check() {
        if (type == null) {
            throw new SinkSpecException("target.type is missing: one of duckdb, postgres");
        }
        if (!type.equals(DUCKDB) && !type.equals(POSTGRES)) {
            throw new SinkSpecException("target.type '" + type + "' is not one of duckdb, postgres");
        }
        if (table == null || table.isBlank()) {
            throw new SinkSpecException("target.table is missing");
        }
        if (!TABLE.matcher(table).matches()) {
            throw new SinkSpecException("target.table '" + table + "' is not a plain SQL name such as events or "
                    + "analytics.events");
        }
        if (type.equals(POSTGRES) && (url == null || !url.startsWith("jdbc:postgresql:"))) {
            throw new SinkSpecException("target.url must be a jdbc:postgresql: URL for a postgres target, got "
                    + url);
        }
    }
}
