package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Heartbeat: keeps a member's session alive, and tells it to rejoin (REBALANCE_IN_PROGRESS) while the group
 * rebalances, or that it is no longer a member (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, FENCED_INSTANCE_ID).
 */
final class HeartbeatHandler implements ApiHandler<HeartbeatRequestData> {
    private final GroupCoordinator coordinator;

    HeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, HeartbeatRequestData request) {
        return CompletableFuture.completedFuture(new HeartbeatResponseData().setErrorCode(coordinator.heartbeat(
                request.groupId(), request.generationId(), request.memberId(),
                context.apiVersion() >= 3 ? request.groupInstanceId() : null).code()));
    }
}
