package dev.sluice.broker.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * JoinGroup: the answer waits until the rebalance forms the next generation, when the leader also gets every
 * member's metadata. v4+ new dynamic members first get an id with MEMBER_ID_REQUIRED; v5+ static members
 * ({@code group.instance.id}) keep their place across restarts; v9+ a returning static leader may skip assigning.
 * Needs READ on the group.
 */
final class JoinGroupHandler implements ApiHandler<JoinGroupRequestData> {
    private final GroupCoordinator coordinator;

    JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 9;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, JoinGroupRequestData request) {
        short version = context.apiVersion();
        if (!context.allowed(AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(response(version, GroupCoordinator.JoinResult.failed(
                    Objects.requireNonNullElse(request.memberId(), ""), Errors.GROUP_AUTHORIZATION_FAILED)));
        }
        context.session().inGroup(request.groupId());
        List<GroupMember.Protocol> protocols = new ArrayList<>();
        for (JoinGroupRequestData.JoinGroupRequestProtocol protocol : request.protocols()) {
            protocols.add(new GroupMember.Protocol(protocol.name(), protocol.metadata()));
        }
        // v0 has no rebalance timeout: Kafka then waits as long as the session timeout.
        int rebalanceTimeoutMs = version >= 1 && request.rebalanceTimeoutMs() > 0 ? request.rebalanceTimeoutMs()
                : request.sessionTimeoutMs();
        GroupCoordinator.JoinRequest join = new GroupCoordinator.JoinRequest(request.groupId(),
                Objects.requireNonNullElse(request.memberId(), ""), version >= 5 ? request.groupInstanceId() : null,
                version >= 4, version >= 9, context.clientId(), clientHost(context), rebalanceTimeoutMs,
                request.sessionTimeoutMs(), request.protocolType(), protocols);
        return coordinator.join(join).thenApply(result -> response(version, result));
    }

    private static ApiMessage response(short version, GroupCoordinator.JoinResult result) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setErrorCode(result.error().code())
                .setGenerationId(result.generationId())
                .setLeader(Objects.requireNonNullElse(result.leaderId(), ""))
                .setMemberId(Objects.requireNonNullElse(result.memberId(), ""));
        if (version >= 7) {
            response.setProtocolType(result.protocolType()).setProtocolName(result.protocolName());
        } else {
            response.setProtocolName(Objects.requireNonNullElse(result.protocolName(), ""));
        }
        if (version >= 9) {
            response.setSkipAssignment(result.skipAssignment());
        }
        for (GroupCoordinator.JoinedMember member : result.members()) {
            response.members().add(new JoinGroupResponseData.JoinGroupResponseMember()
                    .setMemberId(member.memberId())
                    .setGroupInstanceId(version >= 5 ? member.groupInstanceId() : null)
                    .setMetadata(member.metadata()));
        }
        return response;
    }

    /** The client's address as Kafka reports it in DescribeGroups: a slash and the IP. */
    static String clientHost(RequestContext context) {
        if (context.remote() instanceof InetSocketAddress address && address.getAddress() != null) {
            return "/" + address.getAddress().getHostAddress();
        }
        return String.valueOf(context.remote());
    }
}
