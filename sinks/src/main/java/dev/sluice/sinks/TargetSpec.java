package dev.sluice.sinks;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a sink's rows go: {@code {"type": "duckdb", "path": "/data/w.duckdb", "table": "events"}} (path optional:
 * {@code <data.dir>/sinks/warehouse.duckdb}) or {@code {"type": "postgres", "url": "jdbc:postgresql://host/db",
 * "user": "u", "password": "p", "table": "events"}}.
 *
 * <p>Secrets: {@link #redacted()} is what may be shown (answers, command output, logs; {@link #toString()} uses it):
 * {@code password} and every URL parameter whose name contains {@code password} (case-insensitive, so also
 * {@code sslpassword}) read {@value #MASK}. {@link #keepingSecretsOf} puts the stored secrets back where a change
 * sends the mask, so a client may send back what it read. The definition kept in {@code _sluice_sinks} holds the
 * real password: the engine connects with it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetSpec(String type, String path, String url, String user, String password, String table) {
    public static final String DUCKDB = "duckdb";
    public static final String POSTGRES = "postgres";
    /** What a password reads as wherever a target is shown. */
    public static final String MASK = "******";

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    /** A URL parameter whose name contains "password": group 1 up to its '=', group 2 the name, group 3 the value. */
    private static final Pattern URL_SECRET = Pattern.compile(
            "(?i)([?&]([^=&?#\\s]*password[^=&?#\\s]*)=)([^&#\\s]*)");

    public static TargetSpec duckDb(String path, String table) {
        return new TargetSpec(DUCKDB, path, null, null, null, table);
    }

    public static TargetSpec postgres(String url, String user, String password, String table) {
        return new TargetSpec(POSTGRES, null, url, user, password, table);
    }

    /**
     * {@code text} with the value of every password-like URL parameter in it masked; for URLs and for messages
     * that may quote one (a JDBC driver's "No suitable driver found for jdbc:...").
     */
    public static String redact(String text) {
        return text == null ? null : URL_SECRET.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + (m.group(3).isEmpty() ? "" : MASK)));
    }

    /** This target as it may be shown: the password and password-like URL parameters masked. */
    public TargetSpec redacted() {
        return new TargetSpec(type, path, redact(url), user, password == null ? null : MASK, table);
    }

    /**
     * This target (a change a client sent) with the secrets of {@code stored} wherever it carries the mask: the
     * password, and each masked URL parameter whose name the stored URL has.
     */
    public TargetSpec keepingSecretsOf(TargetSpec stored) {
        String keptPassword = MASK.equals(password) ? (stored == null ? null : stored.password) : password;
        String keptUrl = url;
        if (url != null && stored != null && stored.url != null) {
            Map<String, String> secrets = new HashMap<>();
            Matcher old = URL_SECRET.matcher(stored.url);
            while (old.find()) {
                secrets.put(old.group(2).toLowerCase(Locale.ROOT), old.group(3));
            }
            keptUrl = URL_SECRET.matcher(url).replaceAll(m -> {
                String secret = secrets.get(m.group(2).toLowerCase(Locale.ROOT));
                return Matcher.quoteReplacement(m.group(1)
                        + (m.group(3).equals(MASK) && secret != null ? secret : m.group(3)));
            });
        }
        return new TargetSpec(type, path, keptUrl, user, keptPassword, table);
    }

    /** Whether a secret is the mask itself: a shown target sent back where no stored secret replaces it. */
    boolean carriesMask() {
        if (MASK.equals(password)) {
            return true;
        }
        if (url != null) {
            Matcher m = URL_SECRET.matcher(url);
            while (m.find()) {
                if (m.group(3).equals(MASK)) {
                    return true;
                }
            }
        }
        return false;
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
                    + redact(url));
        }
        if (carriesMask()) {
            throw new SinkSpecException("target.password is the mask '" + MASK + "', not a password: send the real "
                    + "one (a change keeps the stored password when it sends the mask back)");
        }
    }

    /** The redacted form: a target may end up in a log line. */
    @Override
    public String toString() {
        TargetSpec shown = redacted();
        return "TargetSpec[type=" + shown.type + ", path=" + shown.path + ", url=" + shown.url + ", user="
                + shown.user + ", password=" + shown.password + ", table=" + shown.table + "]";
    }
}
