package dev.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.sinks.internal.Targets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Faults on disk and in the target, with a real broker and real databases: a staged slice corrupted before its import
 * is reported and its rows still land exactly once (derived again from the topic); a full slice volume pauses
 * consuming while the target is down, and nothing is lost when it returns.
 */
class SinkFaultTest {
    @TempDir
    Path dir;
    BrokerFixture broker;
    Path dataDir;

    @BeforeEach
    void start() throws Exception {
        broker = new BrokerFixture(dir.resolve("broker"));
        dataDir = dir.resolve("node");
        broker.createTopic("events", 3);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    long duckDb(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + Targets.defaultDuckDb(dataDir)
                .toAbsolutePath()); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "zstd"})
    void aCorruptStagedSliceIsReportedAndItsRowsLandOnceFromTheTopic(String compression) throws Exception {
        int n = 8_000;
        String sink = "corrupt" + compression;
        // Slices close every 500 records; a file only at 4,000 records, so closed slices wait in staging.
        Conditions conditions = new Conditions(new Conditions.Limits(500L, null, 120_000L),
                new Conditions.Limits(4_000L, null, 120_000L));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger importer = (Logger) LoggerFactory.getLogger("dev.sluice.sinks.internal.Importer");
        importer.addAppender(log);
        try (SinkEngine engine = SinkEngine.start(SinkEngineConfig.of(broker.kafka(), dataDir))) {
            engine.create(new SinkSpec(sink, List.of("events"), SinkDuckDbTest.mapping(),
                    TargetSpec.duckDb(null, sink)).withConditions(conditions).withCompression(compression));
            broker.produce("events", 0, 2_000, SinkDuckDbTest::event);
            Path staged = dataDir.resolve("sinks").resolve("staging").resolve(sink);
            await().atMost(Duration.ofSeconds(30)).until(() -> stagedSlices(staged).size() >= 2);
            Path victim = stagedSlices(staged).getFirst();
            flipBytes(victim);
            assertThat(duckDb("SELECT count(*) FROM " + sink)).as("nothing imported yet").isZero();

            broker.produce("events", 2_000, n, SinkDuckDbTest::event);
            await().atMost(Duration.ofSeconds(60)).until(() -> log.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("is corrupt")));
            String reported = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("is corrupt")).findFirst().orElseThrow();
            assertThat(reported).contains(victim.getFileName().toString()).contains("deriving it again");

            await().atMost(Duration.ofSeconds(60)).until(() -> duckDb("SELECT count(*) FROM " + sink) >= n);
            assertThat(duckDb("SELECT count(*) FROM " + sink)).isEqualTo(n);
            assertThat(duckDb("SELECT count(DISTINCT id) FROM " + sink)).isEqualTo(n);
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.status(sink).orElseThrow().lastError() == null);
        } finally {
            importer.detachAppender(log);
        }
    }

    private static List<Path> stagedSlices(Path staged) throws Exception {
        if (!Files.isDirectory(staged)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(staged)) {
            return files.sorted().toList();
        }
    }

    /** Inverts 16 bytes in the middle of the file (its size stays the same). */
    private static void flipBytes(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = channel.size() / 2;
            ByteBuffer bytes = ByteBuffer.allocate(16);
            channel.read(bytes, at);
            for (int i = 0; i < bytes.limit(); i++) {
                bytes.put(i, (byte) ~bytes.get(i));
            }
            bytes.rewind();
            channel.write(bytes, at);
            channel.force(true);
        }
    }

    @Test
    void aFullSliceVolumePausesConsumingWhileTheTargetIsDownAndLosesNothing() throws Exception {
        int n = 12_000;
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg"))
                .setCleanDataDirectory(false).start();
        int port = postgres.getPort();
        Conditions conditions = new Conditions(new Conditions.Limits(250L, null, 200L),
                new Conditions.Limits(1_000L, null, 500L));
        SinkSpec spec = new SinkSpec("full", List.of("events"), SinkDuckDbTest.mapping(),
                TargetSpec.postgres("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres",
                        "events")).withConditions(conditions);
        long maxLocalBytes = 40_000;
        try (SinkEngine engine = SinkEngine.start(SinkEngineConfig.of(broker.kafka(), dataDir)
                .withMaxLocalBytes(maxLocalBytes))) {
            engine.create(spec);
            broker.produce("events", 0, 1_000, SinkDuckDbTest::event);
            EmbeddedPostgres up = postgres;
            await().atMost(Duration.ofSeconds(60)).until(() -> count(up) > 0);
            postgres.close();
            postgres = null;

            broker.produce("events", 1_000, n, SinkDuckDbTest::event);
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.status("full").orElseThrow().state()
                    .startsWith("paused:"));
            SinkStatus paused = engine.status("full").orElseThrow();
            assertThat(paused.state()).contains("local bytes wait for import (limit " + maxLocalBytes + ")");
            assertThat(paused.lastError()).contains("import of");
            long written = paused.recordsWritten();
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.status("full").orElseThrow().lag() > 0);
            Thread.sleep(2_000); // consuming stays paused: nothing more is written while the target is down
            SinkStatus later = engine.status("full").orElseThrow();
            assertThat(later.state()).startsWith("paused:");
            assertThat(later.recordsWritten()).isEqualTo(written);
            assertThat(later.lag()).isGreaterThan(0);
            assertThat(written).isLessThan(n);
            long staged = sizeOf(dataDir.resolve("sinks").resolve("staging").resolve("full"));
            assertThat(staged).as("bytes waiting in staging").isLessThan(maxLocalBytes + 3 * 40_000);

            postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(false)
                    .setPort(port).start();
            EmbeddedPostgres back = postgres;
            await().atMost(Duration.ofSeconds(90)).until(() -> count(back) >= n);
            assertThat(count(back)).isEqualTo(n);
            assertThat(query(back, "SELECT count(DISTINCT id) FROM events")).isEqualTo(n);
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.status("full").orElseThrow().state()
                    .equals("running"));
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static long count(EmbeddedPostgres postgres) {
        return query(postgres, "SELECT count(*) FROM events");
    }

    private static long query(EmbeddedPostgres postgres, String sql) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static long sizeOf(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
