package dev.sluice.broker.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Utils;

/**
 * DescribeGroups: each group's state, protocol and members, with their metadata and assignment once the group is
 * stable. An unknown group is described as Dead with no members, as Kafka does before v6. Needs DESCRIBE on the
 * group; the authorized operations are those the ACLs allow (all of them without auth).
 */
final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequestData> {
    private final GroupRegistry groups;

    DescribeGroupsHandler(GroupRegistry groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
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
    public CompletableFuture<ApiMessage> handle(RequestContext context, DescribeGroupsRequestData request) {
        short version = context.apiVersion();
        DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (String groupId : request.groups()) {
            DescribeGroupsResponseData.DescribedGroup described = new DescribeGroupsResponseData.DescribedGroup()
                    .setGroupId(groupId);
            if (version >= 3) {
                described.setAuthorizedOperations(request.includeAuthorizedOperations()
                        ? authorizedOperations(context, groupId) : Integer.MIN_VALUE);
            }
            response.groups().add(described);
            if (groupId == null) {
                described.setErrorCode(Errors.INVALID_GROUP_ID.code()).setGroupId("");
                continue;
            }
            if (!context.allowed(AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) {
                described.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code());
                continue;
            }
            GroupRegistry.GroupSummary summary = groups.describe(groupId);
            if (summary == null) {
                described.setGroupState("Dead").setProtocolType("").setProtocolData("");
                continue;
            }
            described.setGroupState(summary.state()).setProtocolType(summary.protocolType())
                    .setProtocolData(summary.protocolName());
            for (GroupRegistry.MemberSummary member : summary.members()) {
                described.members().add(new DescribeGroupsResponseData.DescribedGroupMember()
                        .setMemberId(member.memberId())
                        .setGroupInstanceId(version >= 4 ? member.groupInstanceId() : null)
                        .setClientId(member.clientId() == null ? "" : member.clientId())
                        .setClientHost(member.clientHost())
                        .setMemberMetadata(member.metadata())
                        .setMemberAssignment(member.assignment()));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    /** Which of the operations a group has (READ, DESCRIBE, DELETE) the principal may perform on it. */
    private static int authorizedOperations(RequestContext context, String groupId) {
        Set<Byte> allowed = new HashSet<>();
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE)) {
            if (groupId == null || context.allowed(operation, ResourceType.GROUP, groupId)) {
                allowed.add(operation.code());
            }
        }
        return Utils.to32BitField(allowed);
    }
}
