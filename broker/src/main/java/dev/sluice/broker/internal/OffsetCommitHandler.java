package dev.sluice.broker.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetCommit: members commit within their generation; commits with generation -1 (admin tools, consumers using
 * {@code assign()}) are accepted while the group has no members. The answer comes once the offsets are durable.
 * v2-v4 may set a retention time per commit; later versions leave retention to the broker. Needs READ on the group
 * and on each topic.
 */
final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequestData> {
    private final BrokerContext broker;
    private final GroupOffsets offsets;
    private final GroupSettings settings;
    private final Clock clock;

    OffsetCommitHandler(BrokerContext broker, GroupOffsets offsets, GroupSettings settings, Clock clock) {
        this.broker = broker;
        this.offsets = offsets;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
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
    public CompletableFuture<ApiMessage> handle(RequestContext context, OffsetCommitRequestData request) {
        short version = context.apiVersion();
        long now = clock.millis();
        long expireAt = version >= 2 && version <= 4 && request.retentionTimeMs() >= 0
                ? now + request.retentionTimeMs() : -1;
        Map<TopicPartition, Errors> rejected = new HashMap<>();
        Map<TopicPartition, CommittedOffset> accepted = new HashMap<>();
        boolean groupReadable = context.allowed(AclOperation.READ, ResourceType.GROUP, request.groupId());
        if (groupReadable) {
            context.session().inGroup(request.groupId());
        }
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            var known = broker.topics().topic(topic.name());
            boolean topicReadable = groupReadable
                    && context.allowed(AclOperation.READ, ResourceType.TOPIC, topic.name());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                String metadata = partition.committedMetadata();
                if (!groupReadable) {
                    rejected.put(tp, Errors.GROUP_AUTHORIZATION_FAILED);
                } else if (!topicReadable) {
                    rejected.put(tp, Errors.TOPIC_AUTHORIZATION_FAILED);
                } else if (known.isEmpty() || partition.partitionIndex() < 0
                        || partition.partitionIndex() >= known.get().partitions()) {
                    rejected.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else if (metadata != null
                        && metadata.getBytes(StandardCharsets.UTF_8).length > settings.offsetMetadataMaxBytes()) {
                    rejected.put(tp, Errors.OFFSET_METADATA_TOO_LARGE);
                } else {
                    // v1 may carry the commit's own timestamp.
                    long committedAt = version == 1 && partition.commitTimestamp() >= 0
                            ? partition.commitTimestamp() : now;
                    accepted.put(tp, new CommittedOffset(partition.committedOffset(),
                            version >= 6 ? partition.committedLeaderEpoch() : -1, metadata, committedAt, expireAt));
                }
            }
        }
        CompletableFuture<Map<TopicPartition, Errors>> committed = accepted.isEmpty()
                ? CompletableFuture.completedFuture(Map.of())
                : offsets.commit(request.groupId(), request.generationIdOrMemberEpoch(), request.memberId(),
                        version >= 7 ? request.groupInstanceId() : null, accepted);
        return committed.thenApply(errors -> {
            OffsetCommitResponseData response = new OffsetCommitResponseData();
            for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
                OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse =
                        new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(topic.name());
                response.topics().add(topicResponse);
                for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                    Errors error = rejected.getOrDefault(tp, errors.getOrDefault(tp, Errors.NONE));
                    topicResponse.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                            .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
                }
            }
            return response;
        });
    }
}
