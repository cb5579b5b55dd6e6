package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.cli.CliRunner.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code sluice consume --group} and {@code sluice group} against a real Sluice. */
@Timeout(60)
class GroupCommandsTest extends LiveSluiceTest {
    @Test
    void secondRunOfAGroupContinuesWhereTheFirstStopped() {
        createWithRecords("payments", "p1\np2\np3\np4\np5\n");

        Result first = cli.run("consume", "payments", "--group", "billing", "--from-beginning", "--count", "2");
        Result second = cli.run("consume", "payments", "--group", "billing", "--count", "2");

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("p1\np2\n");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo("p3\np4\n");
    }

    @Test
    void describeShowsCommittedOffsetsAndLag() {
        createWithRecords("shipments", "s1\ns2\ns3\ns4\ns5\n");
        cli.run("consume", "shipments", "--group", "warehouse", "--from-beginning", "--count", "2");

        Result described = cli.run("group", "describe", "warehouse");

        assertThat(described.exit()).as(described.err()).isZero();
        assertThat(described.out()).startsWith("group warehouse (")
                .contains("no active members")
                .containsPattern("(?m)^TOPIC +PARTITION +COMMITTED +END +LAG$")
                .containsPattern("(?m)^shipments +0 +2 +5 +3$")
                .endsWith("total lag: 3\n");
        assertThat(cli.run("group", "list").out()).containsPattern("(?m)^warehouse ");
    }

    @Test
    void groupWithoutOffsetsStartsAtTheEndUnlessFromBeginning() throws Exception {
        createWithRecords("audit", "old\n");

        // Nothing new arrives: a consumer starting at the end prints nothing, so it runs in the background while
        // a record is added.
        var consumer = java.util.concurrent.CompletableFuture.supplyAsync(() -> cli.run("consume", "audit",
                "--group", "auditors", "--count", "1"));
        Thread.sleep(1_000);
        cli.runWithInput("new\n", "produce", "audit");
        Result result = consumer.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(result.out()).isEqualTo("new\n");
    }

    @Test
    void resetToEarliestReplaysTheTopic() {
        createWithRecords("refunds", "r1\nr2\n");
        cli.run("consume", "refunds", "--group", "accounting", "--from-beginning", "--count", "2");

        Result reset = cli.run("group", "reset", "accounting", "--to", "earliest", "--topic", "refunds");
        Result replay = cli.run("consume", "refunds", "--group", "accounting", "--count", "2");

        assertThat(reset.exit()).as(reset.err()).isZero();
        assertThat(reset.out()).containsPattern("(?m)^refunds +0 +0 +2 +2$");
        assertThat(replay.out()).isEqualTo("r1\nr2\n");
    }

    @Test
    void unknownGroupIsExit1() {
        Result result = cli.run("group", "describe", "nobody");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("sluice: ").endsWith("(HTTP 404)\n");
    }

    private static void createWithRecords(String topic, String lines) {
        assertThat(cli.run("topic", "create", topic).exit()).isZero();
        assertThat(cli.runWithInput(lines, "produce", topic).exit()).isZero();
    }
}
