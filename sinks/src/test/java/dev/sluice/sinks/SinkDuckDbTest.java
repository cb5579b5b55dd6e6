package dev.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.mapping.ColumnSpec;
import dev.sluice.sinks.internal.Targets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkDuckDbTest {
    static final int N = 20_000;
    static final Conditions SMALL = new Conditions(new Conditions.Limits(700L, null, 300L),
            new Conditions.Limits(3_000L, null, 800L));

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

    static String event(int i) {
        return "{\"id\": " + i + ", \"name\": \"n" + i + (i % 7 == 0 ? ", with \\\"quotes\\\"\\nand a newline" : "")
                + "\", \"price\": " + (i * 1.5) + ", \"ok\": " + (i % 2 == 0) + ", \"at\": " + (1_700_000_000_000L + i)
                + ", \"tags\": [\"a\", " + i + "]}";
    }

    static List<ColumnSpec> mapping() {
        return List.of(ColumnSpec.path("id", "/id").withType("long"),
                ColumnSpec.path("name", "/name"),
                ColumnSpec.path("price", "/price").withType("double"),
                ColumnSpec.path("ok", "/ok").withType("boolean"),
                ColumnSpec.path("at", "/at").withType("timestamp"),
                ColumnSpec.path("tags", "/tags").withType("json"),
                ColumnSpec.value("key", "key"),
                ColumnSpec.expr("cents", "int(body.price * 100.0)").withType("long"));
    }

    SinkEngine engine() {
        return SinkEngine.start(SinkEngineConfig.of(broker.kafka(), dataDir));
    }

    Connection duckDb() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + Targets.defaultDuckDb(dataDir).toAbsolutePath());
    }

    long query(String sql) {
        try (Connection c = duckDb(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1; // the table may not exist yet
        }
    }

    /** Each file's (or slice's) state in the sink's last record in the status topic. */
    Map<String, String> lastPublished(String sink, String kind) throws Exception {
        Map<String, String> last = new HashMap<>();
        publishedStates(sink, kind, last);
        return last;
    }

    Map<String, List<String>> publishedStates(String sink, String kind) throws Exception {
        return publishedStates(sink, kind, new HashMap<>());
    }

    /** Each file's (or slice's) states in the order the sink's records in the status topic showed them. */
    Map<String, List<String>> publishedStates(String sink, String kind, Map<String, String> last) throws Exception {
        Map<String, Object> config = new HashMap<>(broker.kafka());
        config.put("auto.offset.reset", "earliest");
        Map<String, List<String>> states = new java.util.LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition(SinkEngine.STATUS_TOPIC, 0);
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null || !new String(record.key(), StandardCharsets.UTF_8).equals(sink)) {
                        continue;
                    }
                    last.clear();
                    for (var item : json.readTree(record.value()).path(kind)) {
                        last.put(item.path("id").asText(), item.path("state").asText());
                        List<String> seen = states.computeIfAbsent(item.path("id").asText(), id -> new ArrayList<>());
                        String state = item.path("state").asText();
                        if (seen.isEmpty() || !seen.getLast().equals(state)) {
                            seen.add(state);
                        }
                    }
                }
            }
        }
        return states;
    }

    @Test
    void everyRecordLandsOnceWithItsTypes() throws Exception {
        try (SinkEngine engine = engine()) {
            engine.create(new SinkSpec("events", List.of("events"), mapping(), TargetSpec.duckDb(null, "events"))
                    .withConditions(SMALL));
            broker.produce("events", 0, N, SinkDuckDbTest::event);

            await().atMost(Duration.ofSeconds(90)).until(() -> query("SELECT count(*) FROM events") == N);
            assertThat(query("SELECT count(DISTINCT id) FROM events")).isEqualTo(N);
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.status("events").orElseThrow().lag() == 0);
            SinkStatus status = engine.status("events").orElseThrow();
            assertThat(status.rowsImported()).isEqualTo(N);
            assertThat(status.deadLettered()).isZero();
            assertThat(status.files()).isNotEmpty().allMatch(f -> f.state().equals("imported"));
            assertThat(query("SELECT count(DISTINCT file_id) FROM _sluice_imports WHERE sink = 'events'"))
                    .isGreaterThan(3);
            // Sluice's metadata holds the states as they move (within the publisher's 200 ms, so a quick file may
            // go from writing to imported in one record): the last record has every file and slice imported, and
            // earlier states were published on the way.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lastPublished("events", "files"))
                    .containsOnlyKeys(status.files().stream().map(SinkStatus.Item::id).toList())
                    .allSatisfy((id, state) -> assertThat(state).isEqualTo("imported")));
            assertThat(publishedStates("events", "files").values()).anyMatch(seen -> seen.size() > 1);
            // Status keeps the last 20 imported slices (older ones leave it still "uploaded" in earlier records).
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lastPublished("events", "slices"))
                    .isNotEmpty().allSatisfy((id, state) -> assertThat(state).isEqualTo("imported")));

            try (Connection c = duckDb(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT id, name, price, ok, \"at\", tags, key, cents, typeof(id), "
                         + "typeof(\"at\"), typeof(tags), typeof(ok) FROM events WHERE id = 14")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getLong(1)).isEqualTo(14);
                assertThat(r.getString(2)).isEqualTo("n14, with \"quotes\"\nand a newline");
                assertThat(r.getDouble(3)).isEqualTo(21.0);
                assertThat(r.getBoolean(4)).isTrue();
                assertThat(r.getTimestamp(5).toLocalDateTime().toString()).isEqualTo("2023-11-14T22:13:20.014");
                assertThat(r.getString(6)).isEqualTo("[\"a\",14]");
                assertThat(r.getString(7)).isEqualTo("k14");
                assertThat(r.getLong(8)).isEqualTo(2100);
                assertThat(List.of(r.getString(9), r.getString(10), r.getString(11), r.getString(12)))
                        .containsExactly("BIGINT", "TIMESTAMP", "JSON", "BOOLEAN");
            }
        }
    }

    @Test
    void zstdSlicesLandToo() throws Exception {
        try (SinkEngine engine = engine()) {
            engine.create(new SinkSpec("zevents", List.of("events"), mapping(), TargetSpec.duckDb(null, "zevents"))
                    .withConditions(SMALL).withCompression("zstd"));
            broker.produce("events", 0, 5_000, SinkDuckDbTest::event);
            await().atMost(Duration.ofSeconds(60)).until(() -> query("SELECT count(*) FROM zevents") == 5_000);
            assertThat(query("SELECT count(DISTINCT id) FROM zevents")).isEqualTo(5_000);
        }
    }

    @Test
    void restartingMidStreamKeepsExactlyOnce() throws Exception {
        SinkSpec spec = new SinkSpec("restart", List.of("events"), mapping(), TargetSpec.duckDb(null, "restart"));
        // Files close only by count while the first engine runs (ages of a minute), and an odd number of records
        // cannot fill whole 500-record slices: the tail is certainly not imported when the engine stops.
        Conditions byCount = new Conditions(new Conditions.Limits(500L, null, 60_000L),
                new Conditions.Limits(4_000L, null, 60_000L));
        int stopAt = 3 * N / 4 + 1;
        try (SinkEngine engine = engine()) {
            engine.create(spec.withConditions(byCount));
            broker.produce("events", 0, N / 2, SinkDuckDbTest::event);
            await().atMost(Duration.ofSeconds(60)).until(() -> query("SELECT count(*) FROM restart") > 0);
            broker.produce("events", N / 2, stopAt, SinkDuckDbTest::event);
        }
        long before = query("SELECT count(*) FROM restart");
        assertThat(before).isLessThan(stopAt);
        try (SinkEngine engine = engine()) {
            assertThat(engine.sink("restart")).isPresent(); // read back from _sluice_sinks
            engine.create(spec.withConditions(SMALL));
            broker.produce("events", stopAt, N, SinkDuckDbTest::event);
            await().atMost(Duration.ofSeconds(90)).until(() -> query("SELECT count(*) FROM restart") >= N);
            assertThat(query("SELECT count(*) FROM restart")).isEqualTo(N);
            assertThat(query("SELECT count(DISTINCT id) FROM restart")).isEqualTo(N);
        }
    }

    @Test
    void recordsThatDoNotFitGoToTheDeadLetterTopicAndAreCounted() throws Exception {
        try (SinkEngine engine = engine()) {
            engine.create(new SinkSpec("typed", List.of("events"), mapping(), TargetSpec.duckDb(null, "typed"))
                    .withConditions(SMALL));
            broker.produce("events", 0, 1_000, i -> i % 10 == 0
                    ? "{\"id\": \"not-a-number-" + i + "\", \"price\": 1.0}" : event(i));
            await().atMost(Duration.ofSeconds(60)).until(() -> query("SELECT count(*) FROM typed") == 900);
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.status("typed").orElseThrow().lag() == 0);
            assertThat(engine.status("typed").orElseThrow().deadLettered()).isEqualTo(100);
            assertThat(query("SELECT count(*) FROM typed WHERE id % 10 = 0")).isZero();

            Map<String, Object> config = new HashMap<>(broker.kafka());
            config.put("group.id", "check");
            config.put("auto.offset.reset", "earliest");
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("typed.dead-letter"));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                    return dead.size() >= 100;
                });
            }
            assertThat(dead).hasSize(100);
            String error = new String(dead.getFirst().headers().lastHeader("sluice.error").value(),
                    StandardCharsets.UTF_8);
            assertThat(error).contains("column 'id'").contains("expected long").contains("not-a-number-");
            assertThat(new String(dead.getFirst().value(), StandardCharsets.UTF_8)).contains("not-a-number-");
        }
    }
}
