package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ProcessContext;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice consume TOPIC}: prints records, one value per line. Without {@code --group} it follows the live
 * tail (after reading what is already there with {@code --from-beginning}); with {@code --group} it reads from the
 * group's committed offsets and commits after printing, so the next run continues where this one stopped.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
        description = {"Prints a topic's records, one value per line, until Ctrl-C or --count.",
                "Values are printed as received: JSON compact, strings raw, binary as base64."})
public final class ConsumeCommand extends ClientCommand {
    // After Ctrl-C the group loop may be between printing a batch and committing it; it gets this long to commit,
    // so the next run does not print the batch again.
    private static final long COMMIT_GRACE_MS = 3_000;

    @Parameters(paramLabel = "TOPIC", description = "The topic to read.")
    String topic;

    @Option(names = "--from-beginning",
            description = "Start at the oldest record (with --group: only where the group has no offset yet).")
    boolean fromBeginning;

    @Option(names = "--group", paramLabel = "G",
            description = "Read as consumer group G: start at its committed offsets and commit what was printed.")
    String group;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N records.")
    Long count;

    @Option(names = "--partition", paramLabel = "P", description = "Only read partition P.")
    Integer partition;

    @Option(names = "--print-key", description = "Print each record's key and the separator before its value.")
    boolean printKey;

    @Option(names = "--key-separator", paramLabel = "SEP", defaultValue = "\t",
            description = "Between key and value with --print-key (default: a tab).")
    String keySeparator;

    public ConsumeCommand(ProcessContext process) {
        super(process);
    }

    @Override
    void run(RestClient rest) throws InterruptedException {
        if (count != null && count <= 0) {
            return;
        }
        Output output = new Output(out(), new RecordFormat(printKey, keySeparator), count);
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        process.stopSignal().onStop(() -> {
            stopping.set(true);
            if (group != null) {
                awaitQuietly(finished);
            }
        });
        try {
            if (group != null) {
                JsonNode described = rest.get(TopicCommands.path(topic));
                new GroupReader(rest, topic, group, fromBeginning, described, partitions(described), output,
                        stopping::get).run();
            } else if (fromBeginning) {
                new TopicReader(rest, topic, partition, true, output, stopping::get)
                        .run(partitions(rest.get(TopicCommands.path(topic))));
            } else {
                // Only the tail: its 404 reports an unknown topic, no need to ask first.
                new TopicReader(rest, topic, partition, false, output, stopping::get).run(List.of());
            }
        } finally {
            finished.countDown();
        }
    }

    private List<Integer> partitions(JsonNode described) {
        List<Integer> all = new ArrayList<>();
        described.path("partitions").forEach(p -> all.add(p.path("partition").asInt()));
        if (partition == null) {
            return all;
        }
        if (!all.contains(partition)) {
            throw new CommandFailure("topic " + topic + " has no partition " + partition + " (it has "
                    + all.size() + ")");
        }
        return List.of(partition);
    }

    private static void awaitQuietly(CountDownLatch finished) {
        try {
            finished.await(COMMIT_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Where records go: formatted, flushed per batch so a pipe sees them at once, and counted against
     * {@code --count}.
     *
     * <p>Not thread-safe.
     */
    static final class Output {
        private final PrintWriter out;
        private final RecordFormat format;
        private final Long limit;
        private long printed;

        Output(PrintWriter out, RecordFormat format, Long limit) {
            this.out = out;
            this.format = format;
            this.limit = limit;
        }

        void print(JsonNode record) {
            out.println(format.format(record));
            printed++;
        }

        void flush() {
            out.flush();
        }

        boolean wantsMore() {
            return limit == null || printed < limit;
        }

        /** How many records to ask the server for: {@code max}, or fewer when {@code --count} is nearly reached. */
        int nextBatch(int max) {
            return limit == null ? max : (int) Math.min(max, limit - printed);
        }
    }
}
