package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * FindCoordinator: on a single node this broker coordinates every group, so the answer is always this node. From v4
 * the keys come in a batch with one answer each. Transactional ids get this node too, so that a transactional
 * producer hears from InitProducerId that transactions are not supported instead of retrying until it times out;
 * share groups (key type 2) are refused.
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
        boolean known = request.keyType() == GROUP || request.keyType() == TRANSACTION;
        Errors error = known ? Errors.NONE : Errors.INVALID_REQUEST;
        String message = known ? null : "coordinator key type " + request.keyType() + " is not supported";
        int node = known ? broker.config().nodeId() : -1;
        String host = known ? broker.advertisedHost() : "";
        int port = known ? broker.advertisedPort() : -1;
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (version >= 4) {
            for (String key : request.coordinatorKeys()) {
                response.coordinators().add(new FindCoordinatorResponseData.Coordinator()
                        .setKey(key).setNodeId(node).setHost(host).setPort(port)
                        .setErrorCode(error.code()).setErrorMessage(message));
            }
        } else {
            response.setErrorCode(error.code()).setNodeId(node).setHost(host).setPort(port);
            if (version >= 1) {
                response.setErrorMessage(message);
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}
