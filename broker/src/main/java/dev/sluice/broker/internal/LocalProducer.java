package dev.sluice.broker.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Produces from inside the broker's process: the request a Kafka client would send with {@code acks=all}, handed
 * to the produce handler directly, so the same pipelines, meters, dead letters and durability apply, without a
 * client's batching thread, a loopback connection and two encodings per record in between.
 */
final class LocalProducer {
    private final ProduceHandler handler;
    private final String clientId;
    private final ClientSession session;

    /** @param clientId the client id produce pipelines and tail samples see, as a Kafka client's would be */
    LocalProducer(ProduceHandler handler, String clientId) {
        this.handler = handler;
        this.clientId = clientId;
        this.session = new ClientSession(new InetSocketAddress("127.0.0.1", 0),
                new AuthState.Authenticated(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, clientId)));
    }

    /**
     * Appends the records to one partition; completes with the base offset once they are as durable as an
     * {@code acks=all} produce, or fails with the Kafka error the partition answered.
     */
    CompletableFuture<Long> produce(String topic, int partition, MemoryRecords records) {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition)
                .setRecords(records));
        request.topicData().add(topicData);
        RequestContext context = new RequestContext(handler.maxVersion(), 0, clientId, null, session,
                Authorizer.allowAll());
        return handler.handle(context, request).thenApply(message -> {
            ProduceResponseData.PartitionProduceResponse answer = ((ProduceResponseData) message).responses()
                    .iterator().next().partitionResponses().getFirst();
            Errors error = Errors.forCode(answer.errorCode());
            if (error != Errors.NONE) {
                String detail = answer.errorMessage() != null ? answer.errorMessage() : error.message();
                ApiException exception = error == Errors.UNKNOWN_TOPIC_OR_PARTITION
                        ? new UnknownTopicOrPartitionException("topic '" + topic + "' partition " + partition
                                + " does not exist")
                        : error.exception(detail);
                throw exception;
            }
            return answer.baseOffset();
        });
    }
}
