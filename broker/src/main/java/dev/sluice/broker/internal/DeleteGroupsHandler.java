package dev.sluice.broker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteGroups: deletes empty groups with their offsets, answering once the deletion is durable; a group with members
 * is refused with NON_EMPTY_GROUP, an unknown one with GROUP_ID_NOT_FOUND. Needs DELETE on each group.
 */
final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequestData> {
    private final GroupRegistry groups;

    DeleteGroupsHandler(GroupRegistry groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, DeleteGroupsRequestData request) {
        List<String> names = request.groupsNames();
        List<CompletableFuture<Errors>> deletions = new ArrayList<>();
        for (String name : names) {
            deletions.add(context.allowed(AclOperation.DELETE, ResourceType.GROUP, name) ? groups.delete(name)
                    : CompletableFuture.completedFuture(Errors.GROUP_AUTHORIZATION_FAILED));
        }
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            for (int i = 0; i < names.size(); i++) {
                response.results().add(new DeleteGroupsResponseData.DeletableGroupResult()
                        .setGroupId(names.get(i)).setErrorCode(deletions.get(i).join().code()));
            }
            return response;
        });
    }
}
