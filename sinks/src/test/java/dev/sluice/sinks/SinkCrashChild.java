package dev.sluice.sinks;

import dev.sluice.sinks.internal.Targets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link SinkCrashTest}: runs a {@link SinkEngine} with sink {@value #SINK} (DuckDB, small
 * conditions) on a data directory and reports on stdout, one line per change, lines starting with {@code @}:
 * {@code @ready}, {@code @slice-uploaded}, {@code @importing}, {@code @rows <count> <distinct ids>} (read from the
 * DuckDB table in this process). Exits, closing the engine cleanly, when its stdin closes.
 */
public final class SinkCrashChild {
    static final String SINK = "crash";
    static final Conditions CONDITIONS = new Conditions(new Conditions.Limits(500L, null, 200L),
            new Conditions.Limits(2_000L, null, 600L));

    private SinkCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        Path dataDir = Path.of(args[1]);
        SinkEngine engine = SinkEngine.start(SinkEngineConfig.of(Map.of("bootstrap.servers", bootstrap,
                // A killed child stays in the group until its session expires; the next child's join waits for it.
                "session.timeout.ms", 6_000, "heartbeat.interval.ms", 1_000), dataDir));
        if (engine.sink(SINK).isEmpty()) {
            engine.create(new SinkSpec(SINK, List.of("events"), SinkDuckDbTest.mapping(),
                    TargetSpec.duckDb(null, SINK)).withConditions(CONDITIONS));
        }
        say("@ready");
        Thread.ofPlatform().daemon().start(() -> report(engine, dataDir));
        while (System.in.read() >= 0) {
            // the parent holds stdin open while this child should run
        }
        engine.close();
        say("@closed");
        System.exit(0);
    }

    private static void report(SinkEngine engine, Path dataDir) {
        String url = "jdbc:duckdb:" + Targets.defaultDuckDb(dataDir).toAbsolutePath();
        String rows = "";
        long rowsAt = 0;
        boolean uploaded = false;
        boolean importing = false;
        while (true) {
            SinkStatus status = engine.status(SINK).orElse(null);
            if (status != null) {
                boolean u = status.slices().stream().anyMatch(s -> s.state().equals("uploaded"));
                boolean i = status.files().stream().anyMatch(f -> f.state().equals("importing"));
                if (u && !uploaded) {
                    say("@slice-uploaded");
                }
                if (i && !importing) {
                    say("@importing");
                }
                uploaded = u;
                importing = i;
            }
            long now = System.currentTimeMillis();
            if (now - rowsAt >= 200) {
                rowsAt = now;
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT id) FROM " + SINK)) {
                    r.next();
                    String line = "@rows " + r.getLong(1) + " " + r.getLong(2);
                    if (!line.equals(rows)) {
                        say(line);
                        rows = line;
                    }
                } catch (Exception e) {
                    // the table may not exist yet
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
