package dev.sluice.broker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * LeaveGroup: members leave at once instead of after their session timeout, and the group rebalances without them.
 * From v3 a batch of members, each by member id or (an admin removing static members) by instance id alone. Needs
 * READ on the group.
 */
final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequestData> {
    private final GroupCoordinator coordinator;

    LeaveGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
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
    public CompletableFuture<ApiMessage> handle(RequestContext context, LeaveGroupRequestData request) {
        short version = context.apiVersion();
        if (!context.allowed(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new LeaveGroupResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        List<GroupCoordinator.LeavingMember> leaving = new ArrayList<>();
        if (version >= 3) {
            for (LeaveGroupRequestData.MemberIdentity member : request.members()) {
                leaving.add(new GroupCoordinator.LeavingMember(member.memberId(), member.groupInstanceId()));
            }
        } else {
            leaving.add(new GroupCoordinator.LeavingMember(request.memberId(), null));
        }
        GroupCoordinator.LeaveResult result = coordinator.leave(request.groupId(), leaving);
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (version >= 3) {
            response.setErrorCode(result.error().code());
            for (int i = 0; i < result.memberErrors().size(); i++) {
                response.members().add(new LeaveGroupResponseData.MemberResponse()
                        .setMemberId(leaving.get(i).memberId())
                        .setGroupInstanceId(leaving.get(i).groupInstanceId())
                        .setErrorCode(result.memberErrors().get(i).code()));
            }
        } else {
            // One member, one error: the group's, or else the member's.
            Errors error = result.error() != Errors.NONE || result.memberErrors().isEmpty() ? result.error()
                    : result.memberErrors().getFirst();
            response.setErrorCode(error.code());
        }
        return CompletableFuture.completedFuture(response);
    }
}
