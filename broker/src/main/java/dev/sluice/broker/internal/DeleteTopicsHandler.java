package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteTopics, by name (all versions) or by id (version 6): the deletion is durable before the logs go. Needs
 * DELETE on each topic.
 */
final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequestData> {
    private final BrokerContext broker;

    DeleteTopicsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 6;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, DeleteTopicsRequestData request) {
        return CompletableFuture.supplyAsync(() -> delete(context, request), broker.blocking());
    }

    private ApiMessage delete(RequestContext context, DeleteTopicsRequestData request) {
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        if (context.apiVersion() >= 6) {
            for (DeleteTopicsRequestData.DeleteTopicState state : request.topics()) {
                String name = state.name();
                if (name == null && state.topicId() != null && !Uuid.ZERO_UUID.equals(state.topicId())) {
                    name = broker.topics().topic(state.topicId()).map(TopicRegistry.Topic::name).orElse(null);
                    if (name == null) {
                        response.responses().add(new DeleteTopicsResponseData.DeletableTopicResult()
                                .setTopicId(state.topicId()).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
                        continue;
                    }
                }
                response.responses().add(deleteOne(context, name));
            }
        } else {
            for (String name : request.topicNames()) {
                response.responses().add(deleteOne(context, name));
            }
        }
        return response;
    }

    private DeleteTopicsResponseData.DeletableTopicResult deleteOne(RequestContext context, String name) {
        DeleteTopicsResponseData.DeletableTopicResult result = new DeleteTopicsResponseData.DeletableTopicResult()
                .setName(name);
        if (!context.allowed(AclOperation.DELETE, ResourceType.TOPIC, name)) {
            return result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("deleting topic '" + name + "' needs DELETE on it");
        }
        try {
            result.setTopicId(broker.topics().delete(name).id());
        } catch (ApiException e) {
            result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
        }
        return result;
    }
}
