package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * FindCoordinator: on a single node this broker coordinates every group, so the answer is always this node. From v4
 * the keys come in a batch with one answer each. Transactional ids get this node too, so that a transactional
 * producer hears from InitProducerId that transactions are not supported instead of retrying until it times out;
 * share groups (key type 2) are refused. Needs DESCRIBE on the group (or transactional id).
 */
final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequestData> {
    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private final BrokerContext broker;

    FindCoordinatorHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 6;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, FindCoordinatorRequestData request) {
        short version = context.apiVersion();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (version >= 4) {
            for (String key : request.coordinatorKeys()) {
                Answer answer = answer(context, request.keyType(), key);
                response.coordinators().add(new FindCoordinatorResponseData.Coordinator()
                        .setKey(key).setNodeId(answer.node()).setHost(answer.host()).setPort(answer.port())
                        .setErrorCode(answer.error().code()).setErrorMessage(answer.message()));
            }
        } else {
            Answer answer = answer(context, request.keyType(), request.key());
            response.setErrorCode(answer.error().code()).setNodeId(answer.node()).setHost(answer.host())
                    .setPort(answer.port());
            if (version >= 1) {
                response.setErrorMessage(answer.message());
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    /** This node for a key the principal may DESCRIBE, else the error. */
    private Answer answer(RequestContext context, byte keyType, String key) {
        return switch (keyType) {
            case GROUP -> context.allowed(AclOperation.DESCRIBE, ResourceType.GROUP, key) ? found()
                    : Answer.failed(Errors.GROUP_AUTHORIZATION_FAILED, null);
            case TRANSACTION -> context.allowed(AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, key) ? found()
                    : Answer.failed(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, null);
            default -> Answer.failed(Errors.INVALID_REQUEST, "coordinator key type " + keyType + " is not supported");
        };
    }

    private Answer found() {
        return new Answer(Errors.NONE, null, broker.config().nodeId(), broker.advertisedHost(),
                broker.advertisedPort());
    }

    private record Answer(Errors error, String message, int node, String host, int port) {
        static Answer failed(Errors error, String message) {
            return new Answer(error, message, -1, "", -1);
        }
    }
}
