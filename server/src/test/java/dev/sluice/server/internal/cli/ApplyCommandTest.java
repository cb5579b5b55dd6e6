package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code sluice apply} against a real Sluice: creating, leaving alone, and changing only what differs. */
@Timeout(60)
class ApplyCommandTest extends LiveSluiceTest {
    @Test
    void applyCreatesThenChangesNothingTheSecondTime() throws IOException {
        Files.writeString(dir.resolve("shop.yaml"), """
                topics:
                  - name: shop-orders
                    partitions: 3
                    configs: {retention.ms: "86400000"}
                sources:
                  - name: shop-web
                    topic: shop-orders
                    headers: [User-Agent]
                    corsOrigins: ["https://shop.example"]
                    enabled: true
                """);

        Result first = cli.run("apply", "-f", "shop.yaml");
        Result second = cli.run("apply", "-f", "shop.yaml");

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).matches("topic shop-orders: created\n"
                + "source shop-web: created \\(url " + sluice.url().replace(".", "\\.") + "/ingest/shop-web/\\S+\\)\n");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo("topic shop-orders: unchanged\nsource shop-web: unchanged\n");
        assertThat(cli.run("topic", "describe", "shop-orders").out()).containsPattern("(?m)^ +2 +0 +0 +\\d+$")
                .containsPattern("(?m)^retention\\.ms +86400000$");
    }

    @Test
    void changedPartitionCountAndConfigArePatched() throws IOException {
        apply("""
                topics:
                  - name: events
                    partitions: 3
                    configs: {retention.ms: "86400000"}
                """);

        Result changed = apply("""
                topics:
                  - name: events
                    partitions: 6
                    configs: {retention.ms: "3600000"}
                """);

        assertThat(changed.exit()).as(changed.err()).isZero();
        assertThat(changed.out()).isEqualTo("topic events: partitions 3 -> 6, retention.ms=3600000\n");
        assertThat(cli.run("topic", "describe", "events").out()).containsPattern("(?m)^ +5 +0 +0 +\\d+$")
                .containsPattern("(?m)^retention\\.ms +3600000$");
    }

    @Test
    void changedSourceIsPatched() throws IOException {
        apply("""
                sources:
                  - name: forms
                    topic: signups
                """);

        Result changed = apply("""
                sources:
                  - name: forms
                    topic: signups
                    corsOrigins: ["*"]
                    enabled: false
                """);

        assertThat(changed.out()).isEqualTo("source forms: corsOrigins [] -> [*], disabled\n");
        assertThat(cli.run("source", "describe", "forms").out()).containsPattern("(?m)^enabled +false$")
                .containsPattern("(?m)^cors origins +\\*$");
    }

    @Test
    void fewerPartitionsIsRefusedAndNothingElseChanges() throws IOException {
        apply("""
                topics:
                  - name: wide
                    partitions: 4
                """);

        Result refused = apply("""
                topics:
                  - name: first-of-two
                  - name: wide
                    partitions: 2
                """);

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("sluice: topic wide has 4 partitions, the file asks for 2; partitions "
                + "can be added but not removed (nothing was changed)\n");
        assertThat(cli.run("topic", "describe", "first-of-two").exit()).as("not created").isEqualTo(1);
    }

    @Test
    void badFileIsAUsageErrorNamingTheKeyAndLine() throws IOException {
        Result result = apply("""
                topics:
                  - name: typo
                    partitons: 3
                """);

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("line 3: unknown key 'partitons' in topics[0]");
        assertThat(cli.run("topic", "describe", "typo").exit()).isEqualTo(1);
    }

    private static Result apply(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "apply", ".yaml");
        Files.writeString(file, yaml);
        return cli.run("apply", "-f", file.toString());
    }
}
