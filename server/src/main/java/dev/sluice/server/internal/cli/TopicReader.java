package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * {@code sluice consume} without a group: optionally reads each partition from its start through
 * {@code GET /v1/topics/{t}/records}, then follows the live tail ({@code GET /v1/topics/{t}/tail?from=end}, an
 * event stream of records).
 *
 * <p>The tail is opened before the catch-up, not after: records written while the catch-up runs then arrive on the
 * tail as well, and the ones the catch-up already printed are skipped by offset. Opened afterwards, the tail would
 * start at a later end and silently miss whatever was written in between.
 *
 * <p>Not thread-safe; one per run.
 */
final class TopicReader {
    static final int READ_LIMIT = 500;

    private final RestClient rest;
    private final String topic;
    private final Integer partition;
    private final boolean fromBeginning;
    private final ConsumeCommand.Output output;
    private final BooleanSupplier stopping;
    // Per partition, the next offset the catch-up has not printed: tail records below it are duplicates.
    private final Map<Integer, Long> caughtUp = new HashMap<>();

    TopicReader(RestClient rest, String topic, Integer partition, boolean fromBeginning,
                ConsumeCommand.Output output, BooleanSupplier stopping) {
        this.rest = rest;
        this.topic = topic;
        this.partition = partition;
        this.fromBeginning = fromBeginning;
        this.output = output;
        this.stopping = stopping;
    }

    /** Reads until {@code --count} is reached, Ctrl-C, or the server ends the stream (a failure). */
    void run(List<Integer> partitions) throws InterruptedException {
        CompletableFuture<Stream<String>> tail = rest.openEventStream(TopicCommands.path(topic) + "/tail?from=end"
                + (partition == null ? "" : "&partition=" + partition));
        try {
            if (fromBeginning) {
                for (int p : partitions) {
                    catchUp(p);
                    if (!output.wantsMore()) {
                        return;
                    }
                }
            }
            try (Stream<String> lines = rest.await(tail)) {
                follow(lines.iterator());
            }
        } finally {
            // --count may be reached before the tail answered (cancel the request) or after (close its stream).
            tail.cancel(true);
            tail.thenAccept(Stream::close);
        }
    }

    private void catchUp(int p) {
        long offset = 0;
        while (output.wantsMore() && !stopping.getAsBoolean()) {
            JsonNode list = rest.get(recordsPath(topic, p, offset, output.nextBatch(READ_LIMIT)));
            JsonNode records = list.path("records");
            for (JsonNode record : records) {
                if (!output.wantsMore()) {
                    break;
                }
                output.print(record);
                offset = record.path("offset").asLong() + 1;
            }
            output.flush();
            long next = list.path("nextOffset").asLong(offset);
            if (records.isEmpty()) {
                if (next <= offset) {
                    break;
                }
                // Nothing readable here (e.g. only control records or a compacted gap), but more after it.
                offset = next;
            }
        }
        caughtUp.put(p, offset);
    }

    private void follow(Iterator<String> lines) {
        Iterator<ServerSentEvents.Event> events = ServerSentEvents.events(lines);
        while (output.wantsMore() && !stopping.getAsBoolean()) {
            if (!events.hasNext()) {
                if (stopping.getAsBoolean()) {
                    return;
                }
                throw new CommandFailure("Sluice at " + rest.baseUrl() + " ended the stream of topic " + topic);
            }
            ServerSentEvents.Event event = events.next();
            if (!"record".equals(event.name())) {
                continue;
            }
            JsonNode record = parse(event.data());
            Long next = caughtUp.get(record.path("partition").asInt());
            if (next != null && record.path("offset").asLong() < next) {
                continue;
            }
            output.print(record);
            output.flush();
        }
    }

    private JsonNode parse(String data) {
        try {
            return RestClient.JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new CommandFailure("Sluice sent a tail event that is not a record: " + e.getOriginalMessage());
        }
    }

    static String recordsPath(String topic, int partition, long offset, int limit) {
        return TopicCommands.path(topic) + "/records?partition=" + partition + "&offset=" + offset + "&limit="
                + limit;
    }
}
