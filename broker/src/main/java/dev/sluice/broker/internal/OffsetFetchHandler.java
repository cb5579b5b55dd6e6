package dev.sluice.broker.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetFetch: a group's committed offsets, -1 for partitions without one; a null topic list (v2+) asks for all the
 * group has. From v8 several groups in one request. With no transactions there are no pending offsets, so
 * {@code require_stable} changes nothing. Needs DESCRIBE on the group; topics the principal may not DESCRIBE are
 * left out of "all" and answered with TOPIC_AUTHORIZATION_FAILED when named.
 */
final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequestData> {
    /** The topics of one group's request; null means all committed. */
    private record Wanted(String groupId, Map<String, List<Integer>> topics) {
    }

    /** A group's answer: its error, or its offsets by topic. */
    private record Found(Errors error, Map<String, List<OffsetFetchResponseData.OffsetFetchResponsePartition>> topics) {
    }

    private final GroupOffsets offsets;

    OffsetFetchHandler(GroupOffsets offsets) {
        this.offsets = offsets;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 9;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, OffsetFetchRequestData request) {
        short version = context.apiVersion();
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= 8) {
            for (OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups()) {
                Map<String, List<Integer>> topics = null;
                if (group.topics() != null) {
                    topics = new TreeMap<>();
                    for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : group.topics()) {
                        topics.put(topic.name(), topic.partitionIndexes());
                    }
                }
                Found found = fetch(context, new Wanted(group.groupId(), topics));
                OffsetFetchResponseData.OffsetFetchResponseGroup groupResponse =
                        new OffsetFetchResponseData.OffsetFetchResponseGroup()
                                .setGroupId(group.groupId()).setErrorCode(found.error().code());
                found.topics().forEach((name, partitions) -> groupResponse.topics().add(
                        new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(name)
                                .setPartitions(batched(partitions))));
                response.groups().add(groupResponse);
            }
            return CompletableFuture.completedFuture(response);
        }
        Map<String, List<Integer>> topics = null;
        if (request.topics() != null) {
            topics = new TreeMap<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : request.topics()) {
                topics.put(topic.name(), topic.partitionIndexes());
            }
        }
        Found found = fetch(context, new Wanted(request.groupId(), topics));
        found.topics().forEach((name, partitions) -> response.topics().add(
                new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(name).setPartitions(partitions)));
        if (version >= 2) {
            response.setErrorCode(found.error().code());
        }
        return CompletableFuture.completedFuture(response);
    }

    private Found fetch(RequestContext context, Wanted wanted) {
        short version = context.apiVersion();
        Map<String, List<OffsetFetchResponseData.OffsetFetchResponsePartition>> topics = new TreeMap<>();
        Errors groupError = wanted.groupId() == null ? Errors.INVALID_GROUP_ID
                : context.allowed(AclOperation.DESCRIBE, ResourceType.GROUP, wanted.groupId()) ? Errors.NONE
                : Errors.GROUP_AUTHORIZATION_FAILED;
        if (groupError != Errors.NONE) {
            if (version < 2 && wanted.topics() != null) {
                // No group-level error before v2: every partition carries it.
                wanted.topics().forEach((name, partitions) -> topics.put(name, partitions.stream()
                        .map(p -> partition(version, p, null).setErrorCode(groupError.code()))
                        .toList()));
            }
            return new Found(groupError, topics);
        }
        if (wanted.topics() == null) {
            Map<TopicPartition, CommittedOffset> all = offsets.committed(wanted.groupId(), null);
            all.entrySet().stream()
                    .filter(e -> describable(context, e.getKey().topic()))
                    .sorted(Comparator.comparing((Map.Entry<TopicPartition, CommittedOffset> e) -> e.getKey().topic())
                            .thenComparingInt(e -> e.getKey().partition()))
                    .forEach(e -> topics.computeIfAbsent(e.getKey().topic(), t -> new ArrayList<>())
                            .add(partition(version, e.getKey().partition(), e.getValue())));
            return new Found(Errors.NONE, topics);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        wanted.topics().forEach((name, indexes) -> indexes.forEach(p -> partitions.add(new TopicPartition(name, p))));
        Map<TopicPartition, CommittedOffset> committed = offsets.committed(wanted.groupId(), partitions);
        wanted.topics().forEach((name, indexes) -> {
            boolean describable = describable(context, name);
            topics.put(name, indexes.stream().map(p -> describable
                    ? partition(version, p, committed.get(new TopicPartition(name, p)))
                    : partition(version, p, null).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())).toList());
        });
        return new Found(Errors.NONE, topics);
    }

    private static boolean describable(RequestContext context, String topic) {
        return context.allowed(AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
    }

    private static OffsetFetchResponseData.OffsetFetchResponsePartition partition(short version, int index,
                                                                                   CommittedOffset offset) {
        OffsetFetchResponseData.OffsetFetchResponsePartition partition =
                new OffsetFetchResponseData.OffsetFetchResponsePartition()
                        .setPartitionIndex(index)
                        .setCommittedOffset(offset == null ? -1 : offset.offset())
                        .setMetadata(offset == null ? "" : offset.metadata());
        if (version >= 5) {
            partition.setCommittedLeaderEpoch(offset == null ? -1 : offset.leaderEpoch());
        }
        return partition;
    }

    private static List<OffsetFetchResponseData.OffsetFetchResponsePartitions> batched(
            List<OffsetFetchResponseData.OffsetFetchResponsePartition> partitions) {
        return partitions.stream().map(p -> new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                .setPartitionIndex(p.partitionIndex())
                .setCommittedOffset(p.committedOffset())
                .setCommittedLeaderEpoch(p.committedLeaderEpoch())
                .setMetadata(p.metadata())
                .setErrorCode(p.errorCode())).toList();
    }
}
