package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code /v1/groups}: consumer groups with members and lag, offset resets for a stopped group, and offset commits
 * for consumers that read over REST (the CLI's {@code consume --group}).
 */
final class GroupRoutes {
    private final KafkaGateway kafka;

    GroupRoutes(KafkaGateway kafka) {
        this.kafka = kafka;
    }

    void register(Router router) {
        router.get("/v1/groups").handler(this::list);
        router.get("/v1/groups/:group").handler(this::describe);
        router.post("/v1/groups/:group/reset").handler(this::reset);
        router.post("/v1/groups/:group/offsets").handler(this::commit);
    }

    private void list(RoutingContext ctx) {
        Replies.when(ctx, kafka.admin().listConsumerGroups().all().toCompletionStage(), groups -> {
            ObjectNode body = Json.object();
            ArrayNode list = body.putArray("groups");
            groups.stream().sorted(Comparator.comparing(g -> g.groupId())).forEach(group -> list.addObject()
                    .put("groupId", group.groupId())
                    .put("state", group.state().map(ConsumerGroupState::toString).orElse("Unknown")));
            Replies.json(ctx, 200, body);
        });
    }

    private void describe(RoutingContext ctx) {
        String group = ctx.pathParam("group");
        Replies.when(ctx, describe(group, true), body -> Replies.json(ctx, 200, body));
    }

    /** The group's members, committed offsets and lag; a 404 for a group with neither members nor offsets. */
    private CompletableFuture<ObjectNode> describe(String group, boolean mustExist) {
        CompletableFuture<ConsumerGroupDescription> description = kafka.admin()
                .describeConsumerGroups(List.of(group)).describedGroups().get(group).toCompletionStage()
                .toCompletableFuture();
        CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> committed = kafka.admin()
                .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().toCompletionStage()
                .toCompletableFuture();
        return CompletableFuture.allOf(description, committed).thenCompose(ignored -> {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(committed.join());
            offsets.values().removeIf(java.util.Objects::isNull);
            ConsumerGroupDescription group0 = description.join();
            if (mustExist && group0.members().isEmpty() && offsets.isEmpty()
                    && (group0.state() == ConsumerGroupState.DEAD || group0.state() == ConsumerGroupState.EMPTY)) {
                throw ApiError.notFound("group_not_found", "group '" + group + "' has no members and no offsets");
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            offsets.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            return kafka.admin().listOffsets(latest).all().toCompletionStage().toCompletableFuture()
                    .thenApply(ends -> render(group0, offsets, ends));
        });
    }

    private static ObjectNode render(ConsumerGroupDescription group, Map<TopicPartition, OffsetAndMetadata> offsets,
                                     Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends) {
        ObjectNode body = Json.object().put("groupId", group.groupId()).put("state", group.state().toString());
        ArrayNode members = body.putArray("members");
        for (MemberDescription member : group.members()) {
            ObjectNode node = members.addObject().put("memberId", member.consumerId())
                    .put("clientId", member.clientId()).put("host", member.host());
            ArrayNode partitions = node.putArray("partitions");
            member.assignment().topicPartitions().stream()
                    .sorted(Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition))
                    .forEach(tp -> partitions.addObject().put("topic", tp.topic()).put("partition", tp.partition()));
        }
        ArrayNode list = body.putArray("offsets");
        long totalLag = 0;
        TreeMap<String, TopicPartition> sorted = new TreeMap<>();
        offsets.keySet().forEach(tp -> sorted.put(tp.topic() + "\u0000" + String.format("%010d", tp.partition()), tp));
        for (TopicPartition tp : sorted.values()) {
            long committed = offsets.get(tp).offset();
            ListOffsetsResult.ListOffsetsResultInfo end = ends.get(tp);
            long endOffset = end == null ? -1 : end.offset();
            long lag = endOffset < 0 ? 0 : Math.max(0, endOffset - committed);
            totalLag += lag;
            list.addObject().put("topic", tp.topic()).put("partition", tp.partition()).put("committed", committed)
                    .put("endOffset", endOffset).put("lag", lag);
        }
        body.put("lag", totalLag);
        return body;
    }

    record ResetBody(String to, Long timestamp, String topic) {
    }

    private void reset(RoutingContext ctx) {
        String group = ctx.pathParam("group");
        ResetBody request = Json.parse(ctx.body().buffer(), ResetBody.class);
        OffsetSpec spec = switch (request.to() == null ? "" : request.to()) {
            case "earliest" -> OffsetSpec.earliest();
            case "latest" -> OffsetSpec.latest();
            case "timestamp" -> {
                if (request.timestamp() == null) {
                    throw ApiError.badRequest("'timestamp' (milliseconds since the epoch) is required with "
                            + "to=timestamp");
                }
                yield OffsetSpec.forTimestamp(request.timestamp());
            }
            default -> throw ApiError.badRequest("'to' must be earliest, latest or timestamp, got '"
                    + request.to() + "'");
        };
        Replies.when(ctx, requireStopped(group).thenCompose(committed -> partitionsToReset(group, request.topic(),
                committed)).thenCompose(partitions -> {
                    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
                    partitions.forEach(tp -> specs.put(tp, spec));
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                    CompletableFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> targets =
                            kafka.admin().listOffsets(specs).all().toCompletionStage().toCompletableFuture();
                    CompletableFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> ends =
                            kafka.admin().listOffsets(latest).all().toCompletionStage().toCompletableFuture();
                    return CompletableFuture.allOf(targets, ends).thenCompose(ignored -> {
                        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                        targets.join().forEach((tp, info) -> next.put(tp, new OffsetAndMetadata(
                                // No record at or after the timestamp: the end, as Kafka's reset tool does.
                                info.offset() < 0 ? ends.join().get(tp).offset() : info.offset())));
                        return kafka.admin().alterConsumerGroupOffsets(group, next).all().toCompletionStage();
                    });
                }).thenCompose(ignored -> describe(group, false)), body -> Replies.json(ctx, 200, body));
    }

    /** The group's committed offsets, or a 409 when it has members (a reset would race with their commits). */
    private CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> requireStopped(String group) {
        return kafka.admin().describeConsumerGroups(List.of(group)).describedGroups().get(group).toCompletionStage()
                .toCompletableFuture().thenCompose(description -> {
                    if (!description.members().isEmpty()) {
                        throw ApiError.conflict("group_not_empty", "group '" + group + "' has "
                                + description.members().size() + " active members; stop them first");
                    }
                    return kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                            .toCompletionStage();
                });
    }

    private CompletableFuture<List<TopicPartition>> partitionsToReset(String group, String topic,
                                                                      Map<TopicPartition, OffsetAndMetadata> committed) {
        List<TopicPartition> partitions = committed.keySet().stream()
                .filter(tp -> topic == null || tp.topic().equals(topic)).toList();
        if (!partitions.isEmpty()) {
            return CompletableFuture.completedFuture(partitions);
        }
        if (topic == null) {
            throw ApiError.notFound("group_not_found", "group '" + group
                    + "' has no committed offsets; name a topic to reset");
        }
        // A topic the group has not read yet: every partition of it.
        return kafka.requireTopic(topic).thenApply(count -> java.util.stream.IntStream.range(0, count)
                .mapToObj(p -> new TopicPartition(topic, p)).toList());
    }

    private void commit(RoutingContext ctx) {
        String group = ctx.pathParam("group");
        JsonNode body = Json.parse(ctx.body().buffer());
        JsonNode offsets = body.get("offsets");
        if (offsets == null || !offsets.isArray() || offsets.isEmpty()) {
            throw ApiError.badRequest("the body must be {\"offsets\": [{\"topic\", \"partition\", \"offset\"}]}");
        }
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (int i = 0; i < offsets.size(); i++) {
            JsonNode entry = offsets.get(i);
            if (!entry.path("topic").isTextual() || !entry.path("partition").canConvertToInt()
                    || !entry.path("offset").canConvertToLong() || entry.path("offset").asLong() < 0) {
                throw ApiError.badRequest("offsets[" + i + "] needs a topic, a partition and an offset >= 0");
            }
            next.put(new TopicPartition(entry.get("topic").asText(), entry.get("partition").asInt()),
                    new OffsetAndMetadata(entry.get("offset").asLong()));
        }
        Replies.when(ctx, requireStopped(group)
                .thenCompose(ignored -> kafka.admin().alterConsumerGroupOffsets(group, next).all()
                        .toCompletionStage())
                .thenCompose(ignored -> describe(group, false)), reply -> Replies.json(ctx, 200, reply));
    }
}
