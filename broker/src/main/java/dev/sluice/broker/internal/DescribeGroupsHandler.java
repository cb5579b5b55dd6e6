package dev.sluice.broker.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

/**
 * DescribeGroups: each group's state, protocol and members, with their metadata and assignment once the group is
 * stable. An unknown group is described as Dead with no members, as Kafka does before v6. Without ACLs, whoever asks
 * for the authorized operations may do everything a group allows.
 */
final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequestData> {
    private static final int ALL_GROUP_OPERATIONS = Utils.to32BitField(Set.of(AclOperation.READ.code(),
            AclOperation.DESCRIBE.code(), AclOperation.DELETE.code()));

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
                described.setAuthorizedOperations(request.includeAuthorizedOperations() ? ALL_GROUP_OPERATIONS
                        : Integer.MIN_VALUE);
            }
            response.groups().add(described);
            if (groupId == null) {
                described.setErrorCode(Errors.INVALID_GROUP_ID.code()).setGroupId("");
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
}
