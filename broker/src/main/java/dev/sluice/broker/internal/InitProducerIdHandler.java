package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * InitProducerId for idempotent producers (the default in current clients): a new producer id at epoch 0 on every
 * call, as Kafka does when there is no transactional id. Transactions are not supported yet. Needs IDEMPOTENT_WRITE
 * on the cluster or WRITE on some topic (KIP-679).
 */
final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequestData> {
    private final BrokerContext broker;

    InitProducerIdHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, InitProducerIdRequestData request) {
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                    .setProducerId(-1).setProducerEpoch((short) -1));
        }
        if (!context.allowedOnCluster(AclOperation.IDEMPOTENT_WRITE)
                && !context.allowedOnAny(AclOperation.WRITE, ResourceType.TOPIC)) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setProducerId(-1).setProducerEpoch((short) -1));
        }
        // A new block of ids is recorded durably in the metadata log: off the event loop.
        return CompletableFuture.supplyAsync(() -> new InitProducerIdResponseData()
                .setProducerId(broker.producerIds().nextId())
                .setProducerEpoch((short) 0), broker.blocking());
    }
}
