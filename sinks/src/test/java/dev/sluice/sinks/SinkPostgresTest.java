package dev.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real PostgreSQL (embedded binaries) as a target, including an outage in the middle of a stream. */
class SinkPostgresTest {
    static final int N = 20_000;

    @TempDir
    Path dir;
    BrokerFixture broker;
    EmbeddedPostgres postgres;
    int port;

    @BeforeEach
    void start() throws Exception {
        broker = new BrokerFixture(dir.resolve("broker"));
        broker.createTopic("events", 3);
        postgres = startPostgres(0);
        port = postgres.getPort();
    }

    EmbeddedPostgres startPostgres(int port) throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(false);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
        broker.close();
    }

    long query(String sql) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    SinkSpec spec() {
        return new SinkSpec("pg", List.of("events"), SinkDuckDbTest.mapping(),
                TargetSpec.postgres("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres",
                        "events")).withConditions(SinkDuckDbTest.SMALL);
    }

    @Test
    void everyRecordLandsOnceWithItsTypes() throws Exception {
        try (SinkEngine engine = SinkEngine.start(SinkEngineConfig.of(broker.kafka(), dir.resolve("node")))) {
            engine.create(spec());
            broker.produce("events", 0, N, SinkDuckDbTest::event);
            await().atMost(Duration.ofSeconds(90)).until(() -> query("SELECT count(*) FROM events") == N);
            assertThat(query("SELECT count(DISTINCT id) FROM events")).isEqualTo(N);
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT name, price, ok, \"at\", tags->>1, cents, "
                         + "pg_typeof(\"at\")::text, pg_typeof(tags)::text FROM events WHERE id = 14")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("n14, with \"quotes\"\nand a newline");
                assertThat(r.getDouble(2)).isEqualTo(21.0);
                assertThat(r.getBoolean(3)).isTrue();
                assertThat(r.getTimestamp(4).toLocalDateTime().toString()).isEqualTo("2023-11-14T22:13:20.014");
                assertThat(r.getString(5)).isEqualTo("14");
                assertThat(r.getLong(6)).isEqualTo(2100);
                assertThat(r.getString(7)).isEqualTo("timestamp without time zone");
                assertThat(r.getString(8)).isEqualTo("jsonb");
            }
        }
    }

    @Test
    void anOutageMidStreamLosesAndDuplicatesNothing() throws Exception {
        try (SinkEngine engine = SinkEngine.start(SinkEngineConfig.of(broker.kafka(), dir.resolve("node")))) {
            engine.create(spec());
            broker.produce("events", 0, N / 2, SinkDuckDbTest::event);
            await().atMost(Duration.ofSeconds(60)).until(() -> query("SELECT count(*) FROM events") > 0);
            postgres.close();
            postgres = null;
            broker.produce("events", N / 2, N, SinkDuckDbTest::event);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String error = engine.status("pg").orElseThrow().lastError();
                return error != null && error.contains("import of");
            });
            postgres = startPostgres(port);
            await().atMost(Duration.ofSeconds(120)).until(() -> query("SELECT count(*) FROM events") >= N);
            assertThat(query("SELECT count(*) FROM events")).isEqualTo(N);
            assertThat(query("SELECT count(DISTINCT id) FROM events")).isEqualTo(N);
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.status("pg").orElseThrow().lastError() == null);
        }
    }
}
