package dev.sluice.broker.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** AlterConfigs (the legacy, replace-everything form): a topic's configs become exactly the ones given. */
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
        return CompletableFuture.supplyAsync(() -> alter(request), broker.blocking());
    }

    private ApiMessage alter(AlterConfigsRequestData request) {
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            AlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new AlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName());
            response.responses().add(result);
            if (ConfigResource.Type.forId(resource.resourceType()) != ConfigResource.Type.TOPIC) {
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
