package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/** ApiVersions: the APIs and version ranges this broker implements, and nothing else. */
final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequestData> {
    private final Supplier<ApiHandlers> handlers;

    ApiVersionsHandler(Supplier<ApiHandlers> handlers) {
        this.handlers = handlers;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiVersionsRequestData request) {
        if (context.apiVersion() >= 3) {
            context.session().software(request.clientSoftwareName(), request.clientSoftwareVersion());
        }
        return CompletableFuture.completedFuture(new ApiVersionsResponseData().setApiKeys(handlers.get().versions()));
    }
}
