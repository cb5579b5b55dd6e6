package dev.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.mapping.ColumnSpec;
import dev.sluice.sinks.internal.Targets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkSpecTest {
    static final List<ColumnSpec> MAPPING = List.of(ColumnSpec.path("id", "/id").withType("long"));

    @TempDir
    Path dir;

    static SinkSpec spec(TargetSpec target, List<ColumnSpec> mapping) {
        return new SinkSpec("s", List.of("t"), mapping, target);
    }

    @Test
    void badSpecsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> spec(new TargetSpec("snowflake", null, null, null, null, "t"), MAPPING).check())
                .isInstanceOf(SinkSpecException.class).hasMessageContaining("target.type 'snowflake'");
        assertThatThrownBy(() -> spec(TargetSpec.duckDb(null, null), MAPPING).check())
                .hasMessageContaining("target.table is missing");
        assertThatThrownBy(() -> spec(TargetSpec.duckDb(null, "t; drop"), MAPPING).check())
                .hasMessageContaining("target.table 't; drop'");
        assertThatThrownBy(() -> spec(TargetSpec.duckDb(null, "t"),
                List.of(ColumnSpec.path("total", "/t").withType("money"))).check())
                .hasMessageContaining("mapping: column 'total': type 'money'");
        assertThatThrownBy(() -> spec(TargetSpec.duckDb(null, "t"), List.of(ColumnSpec.expr("x", "body.a +"))).check())
                .hasMessageContaining("mapping: column 'x'");
        assertThatThrownBy(() -> spec(TargetSpec.postgres("mysql://x", null, null, "t"), MAPPING).check())
                .hasMessageContaining("target.url");
        assertThatThrownBy(() -> new SinkSpec("s", List.of(), MAPPING, TargetSpec.duckDb(null, "t")).check())
                .hasMessageContaining("topics");
        assertThatThrownBy(() -> spec(TargetSpec.duckDb(null, "t"), MAPPING).withCompression("lz4").check())
                .hasMessageContaining("compression 'lz4'");
        assertThatThrownBy(() -> spec(TargetSpec.duckDb(null, "t"), MAPPING)
                .withConditions(new Conditions(new Conditions.Limits(0L, null, null), null)).check())
                .hasMessageContaining("conditions.slice.records");
    }

    @Test
    void aTargetIsShownWithItsPasswordsMaskedAndAChangeSendingTheMaskBackKeepsThem() {
        TargetSpec stored = TargetSpec.postgres("jdbc:postgresql://h/db?user=u&password=secret&sslPassword=key",
                "u", "pw", "t");
        TargetSpec shown = stored.redacted();
        assertThat(shown.password()).isEqualTo(TargetSpec.MASK);
        assertThat(shown.url()).isEqualTo("jdbc:postgresql://h/db?user=u&password=******&sslPassword=******");
        assertThat(stored.toString()).doesNotContain("secret").doesNotContain("key").doesNotContain("pw,");
        assertThat(spec(stored, MAPPING).redacted().target()).isEqualTo(shown);
        assertThat(spec(stored, MAPPING).toString()).doesNotContain("secret");
        assertThat(TargetSpec.redact("No suitable driver found for jdbc:postgresql://h/db?PASSWORD=secret"))
                .isEqualTo("No suitable driver found for jdbc:postgresql://h/db?PASSWORD=******");
        assertThat(TargetSpec.postgres("jdbc:postgresql://h/db", null, null, "t").redacted().password()).isNull();

        assertThat(shown.keepingSecretsOf(stored)).isEqualTo(stored);
        TargetSpec changed = new TargetSpec("postgres", null, "jdbc:postgresql://other/db?password=******", "u",
                "new", "t2").keepingSecretsOf(stored);
        assertThat(changed.url()).isEqualTo("jdbc:postgresql://other/db?password=secret");
        assertThat(changed.password()).isEqualTo("new");

        assertThatThrownBy(() -> spec(shown, MAPPING).check()).isInstanceOf(SinkSpecException.class)
                .hasMessageContaining("target.password is the mask");
        assertThatThrownBy(() -> spec(TargetSpec.postgres("mysql://h/db?password=secret", null, null, "t"), MAPPING)
                .check()).hasMessageContaining("target.url").message().doesNotContain("secret");
    }

    @Test
    void specsReadFromJsonWithDefaults() throws Exception {
        SinkSpec spec = new ObjectMapper().readValue("""
                {"name": "orders", "topics": ["orders"],
                 "mapping": [{"name": "id", "path": "/id", "type": "long"}],
                 "target": {"type": "duckdb", "table": "orders"},
                 "conditions": {"slice": {"records": 5}}}""", SinkSpec.class);
        spec.check();
        assertThat(spec.effectiveConditions().slice()).isEqualTo(new Conditions.Limits(5L, 5L * 1024 * 1024, 30_000L));
        assertThat(spec.effectiveConditions().file()).isEqualTo(Conditions.FILE_DEFAULTS);
        assertThat(spec.effectiveCompression()).isEqualTo("zstd");
    }

    @Test
    void pausedSurvivesJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        SinkSpec spec = new SinkSpec("orders", java.util.List.of("orders"), java.util.List.of(),
                TargetSpec.duckDb(null, "orders")).withPaused(true);
        SinkSpec read = json.readValue(json.writeValueAsBytes(spec), SinkSpec.class);
        assertThat(read).isEqualTo(spec);
        assertThat(read.pausedNow()).isTrue();
    }

    @Test
    void anIncompatibleExistingTableIsRefusedNamingTheColumn() throws Exception {
        Path db = dir.resolve("w.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id VARCHAR, name VARCHAR)");
        }
        try (Target target = Targets.create(TargetSpec.duckDb(db.toString(), "orders"), dir)) {
            assertThatThrownBy(() -> target.ensureTable("orders", List.of(
                    new Target.Column("id", dev.sluice.mapping.ColumnType.LONG))))
                    .isInstanceOf(SinkSpecException.class)
                    .hasMessageContaining("column 'id' is long but table 'orders' has it as varchar");
            assertThatThrownBy(() -> target.ensureTable("orders", List.of(
                    new Target.Column("total", dev.sluice.mapping.ColumnType.DOUBLE))))
                    .hasMessageContaining("column 'total' is not in table 'orders'");
            target.ensureTable("orders", List.of(new Target.Column("name", dev.sluice.mapping.ColumnType.STRING)));
        }
    }
}
