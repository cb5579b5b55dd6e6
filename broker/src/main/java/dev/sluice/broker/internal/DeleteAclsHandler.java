package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteAclsResponse;

/**
 * DeleteAcls: removes what each filter matches, durably, and lists it under that filter (a binding two filters match
 * is listed under the first). Needs ALTER on the cluster.
 */
final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequestData> {
    private final BrokerContext broker;
    private final AclStore acls;

    DeleteAclsHandler(BrokerContext broker, AclStore acls) {
        this.broker = broker;
        this.acls = acls;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, DeleteAclsRequestData request) {
        boolean authorized = context.allowedOnCluster(AclOperation.ALTER);
        return CompletableFuture.supplyAsync(() -> delete(request, authorized), broker.blocking());
    }

    private ApiMessage delete(DeleteAclsRequestData request, boolean authorized) {
        DeleteAclsResponseData response = new DeleteAclsResponseData();
        for (DeleteAclsRequestData.DeleteAclsFilter filter : request.filters()) {
            DeleteAclsResponseData.DeleteAclsFilterResult result = new DeleteAclsResponseData.DeleteAclsFilterResult();
            response.filterResults().add(result);
            if (!authorized) {
                result.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                        .setErrorMessage("deleting ACLs needs ALTER on the cluster");
                continue;
            }
            try {
                for (AclBinding deleted : acls.delete(AclFilters.of(filter.resourceTypeFilter(),
                        filter.resourceNameFilter(), filter.patternTypeFilter(), filter.principalFilter(),
                        filter.hostFilter(), filter.operation(), filter.permissionType()))) {
                    result.matchingAcls().add(DeleteAclsResponse.matchingAcl(deleted, ApiError.NONE));
                }
            } catch (InvalidRequestException e) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(e.getMessage());
            }
        }
        return response;
    }
}
