package dev.sluice.broker.internal;

import dev.sluice.log.AppendResult;
import dev.sluice.log.PartitionLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Produce: appends each partition's batches to its log and answers when every append is durable (the log completes
 * appends after the fsync that covers them). acks=1 gets the same durability as acks=all; acks=0 gets no answer.
 * The batches are appended from the request buffer as they are: no copy, no re-encoding. Needs WRITE on each topic.
 * Appended bytes and records count in the topic's meters ({@link BrokerMetrics}); records are the offsets the log
 * assigned, read from the append's result rather than by walking the batches.
 */
final class ProduceHandler implements ApiHandler<ProduceRequestData> {
    private final BrokerContext broker;

    ProduceHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public short minVersion() {
        // Versions 0-2 carry message format v0/v1, which the log does not store.
        return 3;
    }

    @Override
    public short maxVersion() {
        return 11;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ProduceRequestData request) {
        ProduceResponseData response = new ProduceResponseData();
        List<CompletableFuture<?>> appends = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse =
                    new ProduceResponseData.TopicProduceResponse().setName(topicData.name());
            response.responses().add(topicResponse);
            boolean authorized = context.allowed(AclOperation.WRITE, ResourceType.TOPIC, topicData.name());
            BrokerMetrics.TopicMeters meters = null;
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                ProduceResponseData.PartitionProduceResponse partitionResponse =
                        new ProduceResponseData.PartitionProduceResponse()
                                .setIndex(partitionData.index())
                                .setBaseOffset(-1)
                                .setLogAppendTimeMs(-1)
                                .setLogStartOffset(-1);
                topicResponse.partitionResponses().add(partitionResponse);
                if (!authorized) {
                    partitionResponse.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                    continue;
                }
                Optional<PartitionLog> log = broker.log(topicData.name(), partitionData.index());
                if (log.isEmpty()) {
                    partitionResponse.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                if (!(partitionData.records() instanceof MemoryRecords records) || records.sizeInBytes() == 0) {
                    partitionResponse.setErrorCode(Errors.CORRUPT_MESSAGE.code())
                            .setErrorMessage("produce request holds no record batch");
                    continue;
                }
                ByteBuffer batches = records.buffer();
                TopicPartition tp = log.get().topicPartition();
                if (meters == null) {
                    // Once per topic of the request: the meters are cached by name.
                    meters = broker.metrics().topic(topicData.name());
                }
                BrokerMetrics.TopicMeters topicMeters = meters;
                int bytes = batches.remaining();
                CompletableFuture<AppendResult> append = log.get().append(batches);
                appends.add(append.handle((result, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        Errors error = Errors.forException(cause);
                        partitionResponse.setErrorCode(error.code()).setErrorMessage(cause.getMessage());
                    } else {
                        partitionResponse.setBaseOffset(result.baseOffset())
                                .setLogStartOffset(result.logStartOffset());
                        broker.waiters().notifyNewData(tp);
                        topicMeters.bytesIn().increment(bytes);
                        topicMeters.recordsIn().increment(result.lastOffset() - result.baseOffset() + 1);
                    }
                    return null;
                }));
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new));
        if (request.acks() == 0) {
            return all.thenApply(ignored -> null);
        }
        return all.thenApply(ignored -> response);
    }
}
