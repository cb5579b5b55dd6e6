package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Handles one Kafka API. Implementations are stateless apart from their collaborators and thread-safe; they run on
 * the connection's event loop and must not block it: blocking work goes to a future.
 *
 * @param <Q> the generated request data class
 */
interface ApiHandler<Q extends ApiMessage> {

    ApiKeys apiKey();

    /** Lowest version this handler implements. */
    short minVersion();

    /** Highest version this handler implements. */
    short maxVersion();

    /**
     * Handles a request. The request's byte buffers (produce records) are valid only until this method returns.
     *
     * @return the response body, or a future completing with null when no response is sent (produce with acks=0)
     */
    CompletableFuture<ApiMessage> handle(RequestContext context, Q request);
}
