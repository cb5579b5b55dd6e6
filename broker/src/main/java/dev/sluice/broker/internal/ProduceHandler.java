package dev.sluice.broker.internal;

import dev.sluice.log.AppendCallback;
import dev.sluice.log.PartitionLog;
import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.PipelineChain;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.CorruptRecordException;
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
        RequestAppends appends = new RequestAppends(request.acks() == 0 ? null : response);
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
                context.session().produced(topicData.name());
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
                PipelineChain chain = broker.pipelines().produceChain(topicData.name(), context.clientId());
                PartitionAppend append = new PartitionAppend(partitionResponse, tp, meters, batches.remaining(),
                        appends);
                if (chain != null) {
                    RecordPipelines.Outcome outcome;
                    try {
                        outcome = RecordPipelines.run(chain, topicData.name(), partitionData.index(), records,
                                broker.tailSamples().sampler(chain, topicData.name(), AudienceSpec.PRODUCE));
                    } catch (CorruptRecordException e) {
                        partitionResponse.setErrorCode(Errors.CORRUPT_MESSAGE.code()).setErrorMessage(e.getMessage());
                        continue;
                    }
                    batches = outcome.batches();
                    broker.metrics().pipeline(chain.audience()).add(outcome);
                    broker.tailSamples().write(chain, tp.topic(), tp.partition(), context.clientId(), outcome);
                    sideEffects(context, tp, outcome, append);
                }
                appends.started();
                log.get().append(batches, append);
            }
        }
        appends.allStarted();
        return appends.result;
    }

    /**
     * Dead letters are appended before the produce is answered (an acknowledged record is durable somewhere);
     * a dead letter that cannot be written fails the partition, so the producer retries. Notifications are
     * best effort.
     */
    private void sideEffects(RequestContext context, TopicPartition tp, RecordPipelines.Outcome outcome,
                             PartitionAppend append) {
        for (RecordPipelines.DeadLetter dead : outcome.deadLetters()) {
            append.request.started();
            broker.sideTopics().append(dead.topic(), dead.key(), dead.value(), dead.headers(), dead.timestamp())
                    .whenComplete((offset, failure) -> {
                        if (failure != null) {
                            append.failedAside(failure);
                        }
                        append.request.done();
                    });
        }
        for (dev.sluice.pipelines.Notification notification : outcome.notifications()) {
            broker.notifier().publish(notification, context.clientId(), tp.topic(), tp.partition());
        }
    }

    /**
     * The appends of one request: answered when the last one completes. Counting starts at one for the request
     * itself, so appends that complete while others are still being started cannot answer early.
     */
    private static final class RequestAppends {
        private final AtomicInteger pending = new AtomicInteger(1);
        private final CompletableFuture<ApiMessage> result = new CompletableFuture<>();
        /** Null for acks=0, which gets no answer. */
        private final ApiMessage response;

        RequestAppends(ApiMessage response) {
            this.response = response;
        }

        void started() {
            pending.incrementAndGet();
        }

        void allStarted() {
            done();
        }

        void done() {
            if (pending.decrementAndGet() == 0) {
                result.complete(response);
            }
        }
    }

    /** One partition's append: fills its entry of the response when the log tells how it ended. */
    private final class PartitionAppend implements AppendCallback {
        private final ProduceResponseData.PartitionProduceResponse response;
        private final TopicPartition partition;
        private final BrokerMetrics.TopicMeters meters;
        private final int bytes;
        private final RequestAppends request;

        PartitionAppend(ProduceResponseData.PartitionProduceResponse response, TopicPartition partition,
                        BrokerMetrics.TopicMeters meters, int bytes, RequestAppends request) {
            this.response = response;
            this.partition = partition;
            this.meters = meters;
            this.bytes = bytes;
            this.request = request;
        }

        /** A dead letter of this partition's records failed: the whole partition answers with the error. */
        void failedAside(Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            synchronized (response) {
                response.setErrorCode(Errors.forException(cause).code())
                        .setErrorMessage("dead letter not written: " + cause.getMessage());
            }
        }

        @Override
        public void completed(long baseOffset, long lastOffset, long logStartOffset, Throwable failure) {
            if (partition.equals(BrokerPipelines.TOPIC) && failure == null) {
                broker.pipelines().changed();
            }
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                response.setErrorCode(Errors.forException(cause).code()).setErrorMessage(cause.getMessage());
            } else {
                response.setBaseOffset(baseOffset).setLogStartOffset(logStartOffset);
                broker.waiters().notifyNewData(partition);
                meters.bytesIn().increment(bytes);
                meters.recordsIn().increment(lastOffset - baseOffset + 1);
            }
            request.done();
        }
    }
}
