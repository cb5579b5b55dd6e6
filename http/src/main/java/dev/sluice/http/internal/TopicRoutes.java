package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/** {@code /v1/topics}: list, create, describe, change and delete topics through the broker's admin APIs. */
final class TopicRoutes {
    private final KafkaGateway kafka;

    TopicRoutes(KafkaGateway kafka) {
        this.kafka = kafka;
    }

    void register(Router router) {
        router.get("/v1/topics").handler(this::list);
        router.post("/v1/topics").handler(this::create);
        router.get("/v1/topics/:topic").handler(this::describe);
        router.patch("/v1/topics/:topic").handler(this::change);
        router.delete("/v1/topics/:topic").handler(this::delete);
    }

    /** Sluice's own topics: the broker's ({@code __sluice_*}) and the HTTP component's ({@code _sluice_*}). */
    static boolean internal(String topic) {
        return topic.startsWith("__") || topic.startsWith("_sluice");
    }

    private void list(RoutingContext ctx) {
        boolean withInternal = Boolean.parseBoolean(ctx.request().getParam("internal", "false"));
        Replies.when(ctx, kafka.admin().listTopics(new ListTopicsOptions().listInternal(true)).names()
                .toCompletionStage().thenCompose(names -> kafka.admin().describeTopics(names.stream()
                        .filter(name -> withInternal || !internal(name)).toList()).allTopicNames()
                        .toCompletionStage()), descriptions -> {
            ObjectNode body = Json.object();
            ArrayNode topics = body.putArray("topics");
            new TreeMap<>(descriptions).forEach((name, description) -> topics.addObject().put("name", name)
                    .put("partitions", description.partitions().size()));
            Replies.json(ctx, 200, body);
        });
    }

    record NewTopicBody(String name, Integer partitions, Map<String, String> configs) {
    }

    private void create(RoutingContext ctx) {
        NewTopicBody request = Json.parse(ctx.body().buffer(), NewTopicBody.class);
        if (request.name() == null || request.name().isBlank()) {
            throw ApiError.badRequest("'name' is required");
        }
        if (request.partitions() != null && request.partitions() < 1) {
            throw ApiError.badRequest("'partitions' must be at least 1, got " + request.partitions());
        }
        NewTopic topic = new NewTopic(request.name(), Optional.ofNullable(request.partitions()), Optional.empty())
                .configs(request.configs() == null ? Map.of() : request.configs());
        Replies.when(ctx, kafka.admin().createTopics(List.of(topic)).all().toCompletionStage()
                .thenCompose(ignored -> describe(request.name())), body -> Replies.json(ctx, 201, body));
    }

    private void describe(RoutingContext ctx) {
        Replies.when(ctx, describe(ctx.pathParam("topic")), body -> Replies.json(ctx, 200, body));
    }

    record TopicChangeBody(Integer partitions, Map<String, String> configs) {
    }

    private void change(RoutingContext ctx) {
        String name = ctx.pathParam("topic");
        TopicChangeBody request = Json.parse(ctx.body().buffer(), TopicChangeBody.class);
        Replies.when(ctx, describeTopic(name).thenCompose(description -> {
            List<CompletableFuture<Void>> changes = new ArrayList<>();
            int current = description.partitions().size();
            if (request.partitions() != null) {
                if (request.partitions() < current) {
                    throw ApiError.badRequest("topic '" + name + "' has " + current
                            + " partitions; partitions can be added, never removed (asked for "
                            + request.partitions() + ")");
                }
                if (request.partitions() > current) {
                    changes.add(kafka.admin().createPartitions(Map.of(name,
                                    NewPartitions.increaseTo(request.partitions()))).all().toCompletionStage()
                            .toCompletableFuture());
                }
            }
            if (request.configs() != null && !request.configs().isEmpty()) {
                List<AlterConfigOp> ops = new ArrayList<>();
                request.configs().forEach((key, value) -> ops.add(value == null
                        ? new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE)
                        : new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
                changes.add(kafka.admin().incrementalAlterConfigs(Map.of(
                                new ConfigResource(ConfigResource.Type.TOPIC, name), ops)).all().toCompletionStage()
                        .toCompletableFuture());
            }
            return CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new));
        }).thenCompose(ignored -> describe(name)), body -> Replies.json(ctx, 200, body));
    }

    private void delete(RoutingContext ctx) {
        String name = ctx.pathParam("topic");
        Replies.when(ctx, naming(name, kafka.admin().deleteTopics(List.of(name)).all().toCompletionStage()
                .toCompletableFuture()), ignored -> {
            kafka.forgetTopic(name);
            Replies.noContent(ctx);
        });
    }

    private CompletableFuture<TopicDescription> describeTopic(String name) {
        return naming(name, kafka.admin().describeTopics(List.of(name)).allTopicNames().toCompletionStage()
                .toCompletableFuture().thenApply(all -> all.get(name)));
    }

    /** Kafka's "does not host this topic-partition" as a 404 that names the topic. */
    private static <T> CompletableFuture<T> naming(String topic, CompletableFuture<T> future) {
        return future.exceptionally(failure -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                throw ApiError.notFound("topic_not_found", "topic '" + topic + "' does not exist");
            }
            throw failure instanceof RuntimeException runtime ? runtime
                    : new java.util.concurrent.CompletionException(failure);
        });
    }

    /** The topic with each partition's start and end offsets and size on disk, and its configs. */
    CompletableFuture<ObjectNode> describe(String name) {
        return describeTopic(name).thenCompose(description -> {
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicPartitionInfo partition : description.partitions()) {
                TopicPartition tp = new TopicPartition(name, partition.partition());
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            CompletableFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> starts =
                    kafka.admin().listOffsets(earliest).all().toCompletionStage().toCompletableFuture();
            CompletableFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> ends =
                    kafka.admin().listOffsets(latest).all().toCompletionStage().toCompletableFuture();
            CompletableFuture<Map<ConfigResource, Config>> configs = kafka.admin()
                    .describeConfigs(List.of(resource)).all().toCompletionStage().toCompletableFuture();
            CompletableFuture<Map<TopicPartition, Long>> sizes = sizes(description);
            return CompletableFuture.allOf(starts, ends, configs, sizes).thenApply(ignored -> {
                ObjectNode body = Json.object().put("name", name).put("id", description.topicId().toString());
                ArrayNode partitions = body.putArray("partitions");
                for (TopicPartitionInfo partition : description.partitions()) {
                    TopicPartition tp = new TopicPartition(name, partition.partition());
                    partitions.addObject().put("partition", partition.partition())
                            .put("startOffset", starts.join().get(tp).offset())
                            .put("endOffset", ends.join().get(tp).offset())
                            .put("sizeBytes", sizes.join().getOrDefault(tp, 0L));
                }
                ObjectNode configNode = body.putObject("configs");
                new TreeMap<String, String>(configs.join().get(resource).entries().stream()
                        .filter(entry -> entry.value() != null)
                        .collect(java.util.stream.Collectors.toMap(ConfigEntry::name, ConfigEntry::value)))
                        .forEach(configNode::put);
                return body;
            });
        });
    }

    /** Each partition's size on disk, from DescribeLogDirs of the partitions' leaders. */
    private CompletableFuture<Map<TopicPartition, Long>> sizes(TopicDescription description) {
        List<Integer> brokers = description.partitions().stream()
                .filter(partition -> partition.leader() != null).map(partition -> partition.leader().id())
                .distinct().toList();
        if (brokers.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return kafka.admin().describeLogDirs(brokers).allDescriptions().toCompletionStage().toCompletableFuture()
                .thenApply(byBroker -> {
                    Map<TopicPartition, Long> sizes = new HashMap<>();
                    byBroker.values().forEach(dirs -> dirs.values().forEach(dir -> dir.replicaInfos()
                            .forEach((tp, info) -> {
                                if (tp.topic().equals(description.name())) {
                                    sizes.merge(tp, info.size(), Long::sum);
                                }
                            })));
                    return sizes;
                });
    }

}
