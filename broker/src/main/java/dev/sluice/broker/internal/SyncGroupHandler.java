package dev.sluice.broker.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * SyncGroup: the leader brings every member's assignment, which becomes durable before anyone gets theirs; followers
 * wait for it. From v5 the client names the protocol type and name it joined with, and they must match the group's.
 * Needs READ on the group.
 */
final class SyncGroupHandler implements ApiHandler<SyncGroupRequestData> {
    private final GroupCoordinator coordinator;

    SyncGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
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
    public CompletableFuture<ApiMessage> handle(RequestContext context, SyncGroupRequestData request) {
        short version = context.apiVersion();
        if (!context.allowed(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(response(version,
                    GroupCoordinator.SyncResult.failed(Errors.GROUP_AUTHORIZATION_FAILED)));
        }
        context.session().inGroup(request.groupId());
        if (version >= 5 && (request.protocolType() == null || request.protocolName() == null)) {
            return CompletableFuture.completedFuture(response(version,
                    GroupCoordinator.SyncResult.failed(Errors.INCONSISTENT_GROUP_PROTOCOL)));
        }
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequestData.SyncGroupRequestAssignment assignment : request.assignments()) {
            assignments.put(assignment.memberId(), assignment.assignment());
        }
        return coordinator.sync(request.groupId(), request.generationId(), request.memberId(),
                        version >= 3 ? request.groupInstanceId() : null,
                        version >= 5 ? request.protocolType() : null,
                        version >= 5 ? request.protocolName() : null, assignments)
                .thenApply(result -> response(version, result));
    }

    private static ApiMessage response(short version, GroupCoordinator.SyncResult result) {
        SyncGroupResponseData response = new SyncGroupResponseData()
                .setErrorCode(result.error().code())
                .setAssignment(result.assignment() == null ? new byte[0] : result.assignment());
        if (version >= 5) {
            response.setProtocolType(result.protocolType()).setProtocolName(result.protocolName());
        }
        return response;
    }
}
