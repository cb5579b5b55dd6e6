package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.server.internal.cli.CliRunner.Result;
import java.nio.file.Files;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sluice sink ...} and the {@code sinks:} of {@code sluice apply} against a real node, which runs the HTTP
 * and sink components: records produced with the CLI land in DuckDB and {@code describe} shows them.
 */
@Timeout(120)
class SinkCommandsTest extends LiveSluiceTest {
    static final String ORDERS = """
            name: orders
            topics: [orders]
            mapping:
              - {name: id, path: /id, type: long}
              - {name: customer, path: /customer}
            target: {type: duckdb, table: orders}
            conditions:
              slice: {records: 200, ageMs: 300}
              file: {records: 500, ageMs: 700}
            """;

    @Test
    void createFromAFileImportsAndDescribeShowsFilesAndSlices() throws Exception {
        assertThat(cli.run("topic", "create", "orders", "--partitions", "2").exit()).isZero();
        Files.writeString(dir.resolve("orders.yaml"), ORDERS);

        Result created = cli.run("sink", "create", "-f", "orders.yaml");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("created sink orders: orders -> duckdb orders\n");

        Result again = cli.runWithInput(ORDERS, "sink", "create", "-f", "-");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");

        String records = IntStream.range(0, 1_000).mapToObj(i -> "{\"id\": " + i + ", \"customer\": \"c" + i + "\"}")
                .collect(Collectors.joining("\n", "", "\n"));
        Result produced = cli.runWithInput(records, "produce", "orders");
        assertThat(produced.exit()).as(produced.err()).isZero();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Result described = cli.run("sink", "describe", "orders");
            assertThat(described.exit()).as(described.err()).isZero();
            assertThat(described.out()).contains("1000 imported, 1000 written, 0 dead-lettered")
                    .containsPattern("(?m)^lag +0$").containsPattern("(?m)^state +running$")
                    .containsPattern("(?m)^FILE +STATE +ROWS +BYTES$")
                    .containsPattern("(?m)^orders-\\S+ +imported +\\d+ +\\d+$")
                    .containsPattern("(?m)^SLICE +STATE +ROWS +BYTES$")
                    .containsPattern("(?m)^orders/\\S+\\.csv\\.zst +imported +\\d+ +\\d+$")
                    .containsPattern("(?m)^last error +-$");
        });
        Result listed = cli.run("sink", "list");
        assertThat(listed.out()).containsPattern("(?m)^orders +orders +duckdb orders +running +1000 +0 +-$");

        assertThat(cli.run("sink", "pause", "orders").out()).isEqualTo("sink orders: paused\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> cli.run("sink", "describe", "orders").out()
                .matches("(?s).*\nstate +paused\n.*"));
        assertThat(cli.run("sink", "resume", "orders").out()).isEqualTo("sink orders: resumed\n");
        assertThat(cli.run("sink", "delete", "orders").out()).isEqualTo("deleted sink orders\n");
        Result gone = cli.run("sink", "describe", "orders");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("does not exist");
    }

    @Test
    void applyCreatesSinksOnceThenChangesOnlyWhatDiffers() throws Exception {
        String file = """
                topics:
                  - name: clicks
                    partitions: 1
                sinks:
                  - name: clicks
                    topics: [clicks]
                    mapping:
                      - {name: url, path: /url}
                      - {name: at, value: timestamp, type: timestamp}
                    target: {type: duckdb, table: clicks}
                    conditions:
                      file: {records: 100}
                """;
        Files.writeString(dir.resolve("apply.yaml"), file);

        Result first = cli.run("apply", "-f", "apply.yaml");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("topic clicks: created\nsink clicks: created\n");

        Result second = cli.run("apply", "-f", "apply.yaml");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo("topic clicks: unchanged\nsink clicks: unchanged\n");

        Files.writeString(dir.resolve("apply.yaml"), file + "    compression: gzip\n    paused: true\n");
        Result third = cli.run("apply", "-f", "apply.yaml");
        assertThat(third.exit()).as(third.err()).isZero();
        assertThat(third.out()).isEqualTo("topic clicks: unchanged\nsink clicks: compression zstd -> gzip, paused\n");
        assertThat(cli.run("apply", "-f", "apply.yaml").out()).endsWith("sink clicks: unchanged\n");

        Files.writeString(dir.resolve("bad.yaml"), """
                sinks:
                  - name: clicks
                    topics: [clicks]
                    mapping: [{name: url, path: /url}]
                    target: {type: duckdb, tabel: clicks}
                """);
        Result bad = cli.run("apply", "-f", "bad.yaml");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("line 5").contains("unknown key 'tabel'");

        Files.writeString(dir.resolve("invalid.yaml"), """
                sinks:
                  - name: clicks
                    topics: [clicks]
                    mapping: [{name: url, path: /url, type: decimal}]
                    target: {type: duckdb, table: clicks}
                """);
        Result invalid = cli.run("apply", "-f", "invalid.yaml");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("sinks[0] (clicks)").contains("mapping");
    }

    @Test
    void aPostgresPasswordNeverShowsInTheOutputAndApplyingAgainLeavesItUnchanged() throws Exception {
        // Paused, so no engine tries the database, which is not there.
        Files.writeString(dir.resolve("pg.yaml"), """
                sinks:
                  - name: pg
                    topics: [events]
                    mapping: [{name: id, path: /id, type: long}]
                    target: {type: postgres, table: events, user: loader, password: field-secret,
                             url: "jdbc:postgresql://127.0.0.1:1/w?Password=url-secret"}
                    paused: true
                """);
        Result first = cli.run("apply", "-f", "pg.yaml");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("sink pg: created\n");

        Result described = cli.run("sink", "describe", "pg");
        Result listed = cli.run("sink", "list");
        Result again = cli.run("apply", "-f", "pg.yaml");
        for (Result result : java.util.List.of(first, described, listed, again)) {
            assertThat(result.out() + result.err()).doesNotContain("field-secret").doesNotContain("url-secret");
        }
        assertThat(described.out()).contains("postgres events (jdbc:postgresql://127.0.0.1:1/w?Password=******)");
        assertThat(again.out()).isEqualTo("sink pg: unchanged\n");
    }
}
