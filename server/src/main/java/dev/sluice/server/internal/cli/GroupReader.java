package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code sluice consume --group G}: reads each partition from the group's committed offset with
 * {@code GET /v1/topics/{t}/records}, and after printing a batch commits the next offset to read with
 * {@code POST /v1/groups/{g}/offsets}. A record is therefore printed before it is committed (at least once): a
 * crash between the two prints it again next time, but never skips it.
 *
 * <p>Where the group has no offset for a partition (or no group exists yet, a 404), it starts at the partition's
 * start with {@code --from-beginning}, else at its end, as Kafka's {@code auto.offset.reset} does.
 *
 * <p>Not thread-safe; one per run.
 */
final class GroupReader {
    static final long POLL_INTERVAL_MS = 200;

    private final RestClient rest;
    private final String topic;
    private final String group;
    private final boolean fromBeginning;
    private final JsonNode topicDescription;
    private final List<Integer> partitions;
    private final ConsumeCommand.Output output;
    private final BooleanSupplier stopping;

    /**
     * @param topicDescription the topic as {@code GET /v1/topics/{t}} described it: where partitions start and end
     * @param partitions       the partitions to read
     */
    GroupReader(RestClient rest, String topic, String group, boolean fromBeginning, JsonNode topicDescription,
                List<Integer> partitions, ConsumeCommand.Output output, BooleanSupplier stopping) {
        this.rest = rest;
        this.topic = topic;
        this.group = group;
        this.fromBeginning = fromBeginning;
        this.topicDescription = topicDescription;
        this.partitions = partitions;
        this.output = output;
        this.stopping = stopping;
    }

    void run() throws InterruptedException {
        Map<Integer, Long> positions = startPositions();
        while (output.wantsMore() && !stopping.getAsBoolean()) {
            boolean progressed = false;
            for (Map.Entry<Integer, Long> position : positions.entrySet()) {
                long before = position.getValue();
                long after = readBatch(position.getKey(), before);
                position.setValue(after);
                progressed |= after != before;
                if (!output.wantsMore() || stopping.getAsBoolean()) {
                    return;
                }
            }
            if (!progressed) {
                Thread.sleep(POLL_INTERVAL_MS);
            }
        }
    }

    /** Reads, prints and commits one batch of {@code partition} from {@code offset}; returns the next offset. */
    private long readBatch(int partition, long offset) {
        JsonNode list = rest.get(TopicReader.recordsPath(topic, partition, offset,
                output.nextBatch(TopicReader.READ_LIMIT)));
        long next = offset;
        boolean printed = false;
        for (JsonNode record : list.path("records")) {
            if (!output.wantsMore()) {
                break;
            }
            output.print(record);
            printed = true;
            next = record.path("offset").asLong() + 1;
        }
        if (printed) {
            output.flush();
            commit(partition, next);
            return next;
        }
        // Nothing to print, but the server may say the next readable offset is further on (a compacted gap, or
        // an offset the retention already removed); skip there without committing, nothing was consumed.
        return Math.max(offset, list.path("nextOffset").asLong(offset));
    }

    private void commit(int partition, long next) {
        ObjectNode body = RestClient.object();
        body.putArray("offsets").addObject().put("topic", topic).put("partition", partition).put("offset", next);
        rest.post(GroupCommands.path(group) + "/offsets", body);
    }

    private Map<Integer, Long> startPositions() {
        Map<Integer, Long> committed = new LinkedHashMap<>();
        Optional<JsonNode> described = rest.find(GroupCommands.path(group));
        described.ifPresent(g -> g.path("offsets").forEach(o -> {
            if (topic.equals(o.path("topic").asText()) && o.path("committed").asLong(-1) >= 0) {
                committed.put(o.path("partition").asInt(), o.get("committed").asLong());
            }
        }));
        Map<Integer, Long> positions = new LinkedHashMap<>();
        for (int partition : partitions) {
            Long start = committed.get(partition);
            positions.put(partition, start != null ? start : reset(partition));
        }
        return positions;
    }

    private long reset(int partition) {
        for (JsonNode p : topicDescription.path("partitions")) {
            if (p.path("partition").asInt() == partition) {
                return fromBeginning ? p.path("startOffset").asLong(0) : p.path("endOffset").asLong(0);
            }
        }
        return 0;
    }
}
