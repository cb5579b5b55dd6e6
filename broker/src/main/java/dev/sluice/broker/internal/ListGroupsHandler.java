package dev.sluice.broker.internal;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListGroups: every group, optionally filtered by state (v4+) and by type (v5+). All groups here are of the
 * "classic" type; a filter naming only other types (such as "consumer", KIP-848) lists nothing. Only the groups the
 * principal may DESCRIBE are listed, all of them with DESCRIBE on the cluster.
 */
final class ListGroupsHandler implements ApiHandler<ListGroupsRequestData> {
    private static final String CLASSIC = "classic";

    private final GroupRegistry groups;

    ListGroupsHandler(GroupRegistry groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
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
    public CompletableFuture<ApiMessage> handle(RequestContext context, ListGroupsRequestData request) {
        short version = context.apiVersion();
        Set<String> states = version >= 4 ? lowerCase(request.statesFilter()) : Set.of();
        Set<String> types = version >= 5 ? lowerCase(request.typesFilter()) : Set.of();
        ListGroupsResponseData response = new ListGroupsResponseData();
        if (!types.isEmpty() && !types.contains(CLASSIC)) {
            return CompletableFuture.completedFuture(response);
        }
        boolean describesCluster = context.allowedOnCluster(AclOperation.DESCRIBE);
        for (GroupRegistry.GroupOverview group : groups.list()) {
            if (!states.isEmpty() && !states.contains(group.state().toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (!describesCluster && !context.allowed(AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId())) {
                continue;
            }
            ListGroupsResponseData.ListedGroup listed = new ListGroupsResponseData.ListedGroup()
                    .setGroupId(group.groupId()).setProtocolType(group.protocolType());
            if (version >= 4) {
                listed.setGroupState(group.state());
            }
            if (version >= 5) {
                listed.setGroupType(CLASSIC);
            }
            response.groups().add(listed);
        }
        return CompletableFuture.completedFuture(response);
    }

    private static Set<String> lowerCase(java.util.List<String> values) {
        return values == null ? Set.of()
                : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
