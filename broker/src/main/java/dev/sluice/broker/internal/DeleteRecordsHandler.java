package dev.sluice.broker.internal;

import dev.sluice.log.PartitionLog;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteRecords: moves partitions' start offsets forward; offset -1 means up to the high watermark. Needs DELETE on
 * each topic.
 */
final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequestData> {
    private final BrokerContext broker;

    DeleteRecordsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, DeleteRecordsRequestData request) {
        // The new start offset is checkpointed with an fsync: off the event loop.
        return CompletableFuture.supplyAsync(() -> delete(context, request), broker.blocking());
    }

    private ApiMessage delete(RequestContext context, DeleteRecordsRequestData request) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult topicResult =
                    new DeleteRecordsResponseData.DeleteRecordsTopicResult().setName(topic.name());
            response.topics().add(topicResult);
            boolean authorized = context.allowed(AclOperation.DELETE, ResourceType.TOPIC, topic.name());
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                DeleteRecordsResponseData.DeleteRecordsPartitionResult result =
                        new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                                .setPartitionIndex(partition.partitionIndex())
                                .setLowWatermark(-1);
                topicResult.partitions().add(result);
                if (!authorized) {
                    result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                    continue;
                }
                Optional<PartitionLog> log = broker.log(topic.name(), partition.partitionIndex());
                if (log.isEmpty()) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                try {
                    long offset = partition.offset() == -1 ? log.get().highWatermark() : partition.offset();
                    result.setLowWatermark(log.get().deleteRecordsBefore(offset));
                } catch (RuntimeException e) {
                    result.setErrorCode(Errors.forException(e).code());
                }
            }
        }
        return response;
    }
}
