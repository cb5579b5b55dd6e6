package dev.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.sinks.internal.Targets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM runs a sink into DuckDB against a real broker in this JVM and is killed with SIGKILL at chosen moments,
 * again and again on the same data directory, while records keep arriving: with slices staged and nothing of its
 * file imported, while a file is being imported, and after imports with later slices being written. A last child
 * runs to the end; the table then holds every record exactly once. {@code -Dsluice.sink.crash.trials=30} for a soak.
 */
class SinkCrashTest {
    private static final int TRIALS = Integer.getInteger("sluice.sink.crash.trials", 3);
    private static final int N = 40_000;

    @TempDir
    Path dir;

    /** The moments to kill at, taken in turn; each waits on the child's reports, never on a fixed sleep. */
    private enum Moment {
        SLICES_STAGED_BEFORE_IMPORT(line -> line.equals("@slice-uploaded")),
        DURING_IMPORT(line -> line.equals("@importing")),
        AFTER_IMPORTS_WHILE_WRITING(line -> line.startsWith("@rows ") && !line.startsWith("@rows 0 "));

        final Predicate<String> when;

        Moment(Predicate<String> when) {
            this.when = when;
        }
    }

    @Test
    void sigkillAtAnyMomentLeavesEveryRecordExactlyOnce() throws Exception {
        Path dataDir = dir.resolve("node");
        try (BrokerFixture broker = new BrokerFixture(dir.resolve("broker"))) {
            broker.createTopic("events", 3);
            String bootstrap = (String) broker.kafka().get("bootstrap.servers");
            int chunk = N / (TRIALS + 1);
            for (int trial = 0; trial < TRIALS; trial++) {
                Moment moment = Moment.values()[trial % Moment.values().length];
                Child child = new Child(bootstrap, dataDir);
                child.awaitLine(line -> line.equals("@ready"));
                broker.produce("events", trial * chunk, (trial + 1) * chunk, SinkDuckDbTest::event);
                boolean seen = child.awaitLine(moment.when);
                assertThat(seen).as("trial %d: the child reached moment %s (%s)", trial, moment, child.tail())
                        .isTrue();
                child.kill();
            }
            Child last = new Child(bootstrap, dataDir);
            last.awaitLine(line -> line.equals("@ready"));
            broker.produce("events", TRIALS * chunk, N, SinkDuckDbTest::event);
            assertThat(last.awaitLine(line -> line.startsWith("@rows " + N + " ")))
                    .as("the last child sees all %d rows (%s)", N, last.tail()).isTrue();
            assertThat(last.lines).contains("@rows " + N + " " + N)
                    .noneMatch(line -> line.startsWith("@rows ") && Long.parseLong(line.split(" ")[1]) > N);
            assertThat(last.stop()).as("the last child exits cleanly").isZero();
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + Targets.defaultDuckDb(dataDir)
                .toAbsolutePath()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM "
                     + SinkCrashChild.SINK)) {
            r.next();
            assertThat(List.of(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)))
                    .containsExactly((long) N, (long) N, 0L, (long) N - 1);
        }
    }

    /** A child JVM running {@link SinkCrashChild}; its stdout lines are collected. */
    private static final class Child {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final Thread reader;

        Child(String bootstrap, Path dataDir) throws Exception {
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx384m", "-XX:TieredStopAtLevel=1",
                    SinkCrashChild.class.getName(), bootstrap, dataDir.toString())
                    .redirectErrorStream(true)
                    .start();
            reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("@")) {
                            lines.add(line);
                        }
                        log.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // killed
                }
            });
        }

        /** Waits until a line matching {@code when} arrives after the last one awaited; false if the child died. */
        private int from;

        boolean awaitLine(Predicate<String> when) {
            int[] found = {-1};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1)).until(() -> {
                for (int i = from; i < lines.size(); i++) {
                    if (when.test(lines.get(i))) {
                        found[0] = i;
                        return true;
                    }
                }
                return !process.isAlive();
            });
            if (found[0] < 0) {
                return false;
            }
            from = found[0] + 1;
            return true;
        }

        void kill() throws Exception {
            process.destroyForcibly().waitFor(); // SIGKILL
            reader.join();
        }

        int stop() throws Exception {
            process.getOutputStream().close();
            int code = process.waitFor();
            reader.join();
            return code;
        }

        String tail() {
            synchronized (log) {
                return String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size()));
            }
        }
    }
}
