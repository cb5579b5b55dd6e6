package dev.sluice.broker.internal;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** The handler of each implemented API; ApiVersions advertises exactly these, with their version ranges. */
final class ApiHandlers {
    private final Map<ApiKeys, ApiHandler<? extends ApiMessage>> handlers = new EnumMap<>(ApiKeys.class);

    ApiHandlers(List<ApiHandler<? extends ApiMessage>> all) {
        for (ApiHandler<? extends ApiMessage> handler : all) {
            handlers.put(handler.apiKey(), handler);
        }
    }

    @SuppressWarnings("unchecked")
    ApiHandler<ApiMessage> handler(ApiKeys apiKey) {
        return (ApiHandler<ApiMessage>) handlers.get(apiKey);
    }

    /** The versions advertised to clients. */
    ApiVersionsResponseData.ApiVersionCollection versions() {
        ApiVersionsResponseData.ApiVersionCollection versions = new ApiVersionsResponseData.ApiVersionCollection();
        for (ApiHandler<? extends ApiMessage> handler : handlers.values()) {
            versions.add(new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(handler.apiKey().id)
                    .setMinVersion(handler.minVersion())
                    .setMaxVersion(handler.maxVersion()));
        }
        return versions;
    }

    /** The answer to an ApiVersions request in a version we do not speak. */
    ApiVersionsResponseData unsupportedApiVersions() {
        return new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code()).setApiKeys(versions());
    }
}
