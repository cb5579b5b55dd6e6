package dev.sluice.broker.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterConfigs (the legacy, replace-everything form): a topic's configs become exactly the ones given. Needs
 * ALTER_CONFIGS on the topic.
 */
final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequestData> {
    private final BrokerContext broker;

    AlterConfigsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
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
    public CompletableFuture<ApiMessage> handle(RequestContext context, AlterConfigsRequestData request) {
        return CompletableFuture.supplyAsync(() -> alter(context, request), broker.blocking());
    }

    private ApiMessage alter(RequestContext context, AlterConfigsRequestData request) {
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            AlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new AlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName());
            response.responses().add(result);
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            Errors denied = DescribeConfigsHandler.authorize(context, AclOperation.ALTER_CONFIGS, type,
                    resource.resourceName());
            if (denied != Errors.NONE) {
                result.setErrorCode(denied.code()).setErrorMessage("altering the configs of " + type + " '"
                        + resource.resourceName() + "' needs ALTER_CONFIGS on it");
                continue;
            }
            if (type != ConfigResource.Type.TOPIC) {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("only topic configs can be altered; broker settings come from sluice.yaml");
                continue;
            }
            Map<String, String> configs = new LinkedHashMap<>();
            for (AlterConfigsRequestData.AlterableConfig config : resource.configs()) {
                configs.put(config.name(), config.value());
            }
            try {
                broker.topics().alterConfigs(resource.resourceName(), configs, request.validateOnly());
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
        }
        return response;
    }
}
