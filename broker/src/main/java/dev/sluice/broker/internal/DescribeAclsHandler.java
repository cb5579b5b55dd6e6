package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeAclsResponse;

/** DescribeAcls: the ACLs a filter matches; needs DESCRIBE on the cluster. Only registered with auth enabled. */
final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequestData> {
    private final AclStore acls;

    DescribeAclsHandler(AclStore acls) {
        this.acls = acls;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_ACLS;
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
    public CompletableFuture<ApiMessage> handle(RequestContext context, DescribeAclsRequestData request) {
        DescribeAclsResponseData response = new DescribeAclsResponseData();
        if (!context.allowedOnCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(response
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("describing ACLs needs DESCRIBE on the cluster"));
        }
        try {
            AclBindingFilter filter = AclFilters.of(request.resourceTypeFilter(), request.resourceNameFilter(),
                    request.patternTypeFilter(), request.principalFilter(), request.hostFilter(),
                    request.operation(), request.permissionType());
            response.setResources(DescribeAclsResponse.aclsResources(acls.matching(filter)));
        } catch (InvalidRequestException e) {
            response.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(e.getMessage());
        }
        return CompletableFuture.completedFuture(response);
    }
}
