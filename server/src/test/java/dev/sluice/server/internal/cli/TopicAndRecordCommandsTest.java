package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.cli.CliRunner.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code sluice topic}, {@code produce} and {@code consume} against a real Sluice. */
@Timeout(60)
class TopicAndRecordCommandsTest extends LiveSluiceTest {
    @Test
    void topicCreateListDescribeDelete() {
        Result created = cli.run("topic", "create", "orders", "--partitions", "3", "--config", "retention.ms=86400000");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("created topic orders (3 partitions)\n");

        Result listed = cli.run("topic", "list");
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).containsPattern("(?m)^TOPIC +PARTITIONS$").containsPattern("(?m)^orders +3$")
                .doesNotContain("__sluice");

        Result described = cli.run("topic", "describe", "orders");
        assertThat(described.exit()).isZero();
        assertThat(described.out()).startsWith("topic orders")
                .containsPattern("(?m)^PARTITION +START +END +SIZE$")
                .containsPattern("(?m)^ +0 +0 +0 +\\d+$")
                .containsPattern("(?m)^ +2 +0 +0 +\\d+$")
                .containsPattern("(?m)^retention\\.ms +86400000$");

        Result deleted = cli.run("topic", "delete", "orders");
        assertThat(deleted.exit()).isZero();
        assertThat(deleted.out()).isEqualTo("deleted topic orders\n");
        assertThat(cli.run("topic", "list").out()).doesNotContainPattern("(?m)^orders ");
    }

    @Test
    void unknownTopicIsExit1WithTheServersMessage() {
        Result result = cli.run("topic", "describe", "no-such-topic");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).matches("sluice: .*no-such-topic.* \\(HTTP 404\\)\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void creatingATopicTwiceIsExit1() {
        assertThat(cli.run("topic", "create", "twice").exit()).isZero();

        Result again = cli.run("topic", "create", "twice");

        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).endsWith("(HTTP 409)\n");
    }

    @Test
    void producedLinesAreConsumedFromTheBeginningInOrder() {
        cli.run("topic", "create", "lines");
        String input = IntStream.range(0, 1200).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")) + "\n";

        Result produced = cli.runWithInput(input, "produce", "lines");
        Result consumed = cli.run("consume", "lines", "--from-beginning", "--count", "1200");

        assertThat(produced.exit()).as(produced.err()).isZero();
        assertThat(produced.out()).isEmpty();
        assertThat(consumed.exit()).as(consumed.err()).isZero();
        assertThat(consumed.out().lines().toList())
                .isEqualTo(IntStream.range(0, 1200).mapToObj(i -> "line " + i).toList());
    }

    @Test
    void countStopsEarlyAndJsonValuesArePrintedCompact() {
        cli.run("topic", "create", "json-lines");
        cli.runWithInput("{\"a\": 1}\nplain text\n", "produce", "json-lines");

        Result one = cli.run("consume", "json-lines", "--from-beginning", "--count", "1");
        Result both = cli.run("consume", "json-lines", "--from-beginning", "--count", "2");

        // The API hands back a value that parses as JSON as JSON, whatever encoding it was written with.
        assertThat(one.out()).isEqualTo("{\"a\":1}\n");
        assertThat(both.out()).isEqualTo("{\"a\":1}\nplain text\n");
    }

    @Test
    void keysAreSplitOffOnProduceAndPrintedWithPrintKey() {
        cli.run("topic", "create", "keyed");

        Result produced = cli.runWithInput("user-1=clicked\nuser-2=left=early\nno key\n", "produce", "keyed",
                "--key-separator", "=", "--partition", "0", "--verbose");
        Result consumed = cli.run("consume", "keyed", "--from-beginning", "--count", "3", "--print-key",
                "--key-separator", " | ");

        assertThat(produced.out()).isEqualTo("partition 0 offset 0\npartition 0 offset 1\npartition 0 offset 2\n");
        assertThat(consumed.out()).isEqualTo("user-1 | clicked\nuser-2 | left=early\nnull | no key\n");
    }

    @Test
    void consumeOfOnePartitionReadsOnlyIt() {
        cli.run("topic", "create", "two-parts", "--partitions", "2");
        cli.runWithInput("zero\n", "produce", "two-parts", "--partition", "0");
        cli.runWithInput("one\n", "produce", "two-parts", "--partition", "1");

        Result consumed = cli.run("consume", "two-parts", "--from-beginning", "--partition", "1", "--count", "1");

        assertThat(consumed.out()).isEqualTo("one\n");
    }

    @Test
    void consumeFollowsTheLiveTail() throws Exception {
        cli.run("topic", "create", "live");
        cli.runWithInput("old\n", "produce", "live");

        CompletableFuture<Result> consumer = CompletableFuture.supplyAsync(() -> cli.run("consume", "live",
                "--count", "2"));
        // The tail starts at the end once it is open, which this test cannot observe: keep writing until the
        // consumer has seen two records.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!consumer.isDone() && System.nanoTime() < deadline) {
            cli.runWithInput("new\n", "produce", "live");
            Thread.sleep(100);
        }
        Result consumed = consumer.get(5, TimeUnit.SECONDS);

        assertThat(consumed.exit()).as(consumed.err()).isZero();
        assertThat(consumed.out()).isEqualTo("new\nnew\n");
    }

    @Test
    void fromBeginningContinuesIntoTheTail() throws Exception {
        cli.run("topic", "create", "then-live");
        cli.runWithInput("first\n", "produce", "then-live");

        CompletableFuture<Result> consumer = CompletableFuture.supplyAsync(() -> cli.run("consume", "then-live",
                "--from-beginning", "--count", "3"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int sent = 0;
        while (!consumer.isDone() && System.nanoTime() < deadline) {
            cli.runWithInput("more " + sent++ + "\n", "produce", "then-live");
            Thread.sleep(100);
        }
        Result consumed = consumer.get(5, TimeUnit.SECONDS);

        // In order and without duplicates, whichever records the catch-up and the tail each delivered.
        assertThat(consumed.out().lines().toList()).isEqualTo(List.of("first", "more 0", "more 1"));
    }

    @Test
    void producingToAnUnknownTopicFailsWithTheServersMessage() {
        Result result = cli.runWithInput("x\n", "produce", "missing-topic");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("sluice: ").endsWith("(HTTP 404)\n");
    }

    @Test
    void consumingAnUnknownTopicFails() {
        Result tail = cli.run("consume", "missing-topic");
        Result fromStart = cli.run("consume", "missing-topic", "--from-beginning");

        assertThat(tail.exit()).isEqualTo(1);
        assertThat(tail.err()).endsWith("(HTTP 404)\n");
        assertThat(fromStart.exit()).isEqualTo(1);
        assertThat(fromStart.err()).endsWith("(HTTP 404)\n");
    }
}
