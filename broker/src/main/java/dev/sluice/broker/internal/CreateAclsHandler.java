package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;

/**
 * CreateAcls: validates each binding as Kafka does (a concrete resource type, LITERAL or PREFIXED, a concrete
 * operation and permission, a non-empty name, {@code kafka-cluster} for the cluster, a {@code Type:name} principal)
 * and records it durably; one that exists already succeeds without a change. Needs ALTER on the cluster.
 */
final class CreateAclsHandler implements ApiHandler<CreateAclsRequestData> {
    private final BrokerContext broker;
    private final AclStore acls;

    CreateAclsHandler(BrokerContext broker, AclStore acls) {
        this.broker = broker;
        this.acls = acls;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_ACLS;
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
    public CompletableFuture<ApiMessage> handle(RequestContext context, CreateAclsRequestData request) {
        boolean authorized = context.allowedOnCluster(AclOperation.ALTER);
        return CompletableFuture.supplyAsync(() -> create(request, authorized), broker.blocking());
    }

    private ApiMessage create(CreateAclsRequestData request, boolean authorized) {
        CreateAclsResponseData response = new CreateAclsResponseData();
        for (CreateAclsRequestData.AclCreation creation : request.creations()) {
            CreateAclsResponseData.AclCreationResult result = new CreateAclsResponseData.AclCreationResult();
            response.results().add(result);
            if (!authorized) {
                result.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                        .setErrorMessage("creating ACLs needs ALTER on the cluster");
                continue;
            }
            try {
                AclBinding binding = CreateAclsRequest.aclBinding(creation);
                validate(binding);
                acls.add(binding);
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
        }
        return response;
    }

    private static void validate(AclBinding binding) {
        ResourceType type = binding.pattern().resourceType();
        if (type == ResourceType.ANY || type == ResourceType.UNKNOWN) {
            throw new InvalidRequestException("invalid resource type " + type);
        }
        PatternType patternType = binding.pattern().patternType();
        if (patternType != PatternType.LITERAL && patternType != PatternType.PREFIXED) {
            throw new InvalidRequestException("invalid pattern type " + patternType);
        }
        AclOperation operation = binding.entry().operation();
        if (operation == AclOperation.ANY || operation == AclOperation.UNKNOWN) {
            throw new InvalidRequestException("invalid operation " + operation);
        }
        AclPermissionType permission = binding.entry().permissionType();
        if (permission != AclPermissionType.ALLOW && permission != AclPermissionType.DENY) {
            throw new InvalidRequestException("invalid permission type " + permission);
        }
        String name = binding.pattern().name();
        if (name == null || name.isEmpty()) {
            throw new InvalidRequestException("resource name should not be empty");
        }
        if (type == ResourceType.CLUSTER && !name.equals(Resource.CLUSTER_NAME)) {
            throw new InvalidRequestException("the only valid name for the CLUSTER resource is "
                    + Resource.CLUSTER_NAME);
        }
        if (binding.entry().host() == null || binding.entry().host().isEmpty()) {
            throw new InvalidRequestException("host should not be empty; '*' means any host");
        }
        try {
            SecurityUtils.parseKafkaPrincipal(binding.entry().principal());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("invalid principal '" + binding.entry().principal()
                    + "': expected Type:name, such as User:alice");
        }
    }
}
