package dev.sluice.broker.internal;

import dev.sluice.log.PartitionLog;
import dev.sluice.log.TimestampOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListOffsets: the earliest offset, the latest (high watermark), or the first offset at or after a timestamp. Needs
 * DESCRIBE on each topic.
 */
final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequestData> {
    private final BrokerContext broker;

    ListOffsetsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        // Version 7 adds the max-timestamp query, which needs a per-log record of the newest timestamp's offset.
        return 6;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ListOffsetsRequestData request) {
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(topic.name());
            response.topics().add(topicResponse);
            boolean authorized = context.allowed(AclOperation.DESCRIBE, ResourceType.TOPIC, topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse answer =
                        new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                                .setPartitionIndex(partition.partitionIndex())
                                .setTimestamp(-1)
                                .setOffset(-1)
                                // The field exists from version 4; earlier versions must keep its default.
                                .setLeaderEpoch(context.apiVersion() >= 4 ? 0 : -1);
                topicResponse.partitions().add(answer);
                if (!authorized) {
                    answer.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                    continue;
                }
                Optional<PartitionLog> log = broker.log(topic.name(), partition.partitionIndex());
                if (log.isEmpty()) {
                    answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                long timestamp = partition.timestamp();
                if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP) {
                    answer.setOffset(log.get().logStartOffset());
                } else if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
                    answer.setOffset(log.get().highWatermark());
                } else if (timestamp < 0) {
                    answer.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
                } else {
                    Optional<TimestampOffset> found = log.get().offsetForTimestamp(timestamp);
                    found.ifPresent(f -> answer.setTimestamp(f.timestamp()).setOffset(f.offset()));
                }
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}
