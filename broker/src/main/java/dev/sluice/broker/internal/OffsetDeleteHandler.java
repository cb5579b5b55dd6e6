package dev.sluice.broker.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetDelete: removes a group's committed offsets for some partitions, durably before answering. An active
 * consumer group keeps those of topics it subscribes to (GROUP_SUBSCRIBED_TO_TOPIC). Needs DELETE on the group and
 * READ on each topic.
 */
final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequestData> {
    private final BrokerContext broker;
    private final GroupOffsets offsets;

    OffsetDeleteHandler(BrokerContext broker, GroupOffsets offsets) {
        this.broker = broker;
        this.offsets = offsets;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, OffsetDeleteRequestData request) {
        if (!context.allowed(AclOperation.DELETE, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new OffsetDeleteResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        Map<TopicPartition, Errors> rejected = new HashMap<>();
        List<TopicPartition> partitions = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
            var known = broker.topics().topic(topic.name());
            boolean readable = context.allowed(AclOperation.READ, ResourceType.TOPIC, topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                if (!readable) {
                    rejected.put(tp, Errors.TOPIC_AUTHORIZATION_FAILED);
                } else if (known.isPresent() && partition.partitionIndex() >= 0
                        && partition.partitionIndex() < known.get().partitions()) {
                    partitions.add(tp);
                } else {
                    rejected.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                }
            }
        }
        return offsets.delete(request.groupId(), partitions).thenApply(result -> {
            OffsetDeleteResponseData response = new OffsetDeleteResponseData().setErrorCode(result.error().code());
            if (result.error() != Errors.NONE) {
                return response;
            }
            for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
                OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResponse =
                        new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
                for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                    Errors error = rejected.getOrDefault(tp, result.partitions().getOrDefault(tp, Errors.NONE));
                    topicResponse.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                            .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
                }
                response.topics().add(topicResponse);
            }
            return response;
        });
    }
}
