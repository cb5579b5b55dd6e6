package dev.sluice.broker.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * CreateTopics: validates name, partitions, replication factor (1 on a single node) and configs, then records the
 * topic in the metadata log and creates its partitions. {@code validate_only} checks without creating. Needs CREATE
 * on the cluster or on the topic.
 */
final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequestData> {
    private final BrokerContext broker;

    CreateTopicsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public short minVersion() {
        return 2;
    }

    @Override
    public short maxVersion() {
        return 7;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, CreateTopicsRequestData request) {
        return CompletableFuture.supplyAsync(() -> create(context, request), broker.blocking());
    }

    /** Whether the principal may create the topic: CREATE on the cluster or on the topic. */
    static boolean mayCreate(RequestContext context, String topic) {
        return context.allowedOnCluster(AclOperation.CREATE)
                || context.allowed(AclOperation.CREATE, ResourceType.TOPIC, topic);
    }

    private ApiMessage create(RequestContext context, CreateTopicsRequestData request) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        for (CreateTopicsRequestData.CreatableTopic topic : request.topics()) {
            CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(topic.name());
            response.topics().add(result);
            if (!mayCreate(context, topic.name())) {
                result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage("creating topic '" + topic.name() + "' needs CREATE on it or the cluster")
                        .setNumPartitions(-1).setReplicationFactor((short) -1);
                continue;
            }
            try {
                int partitions = topic.numPartitions() == -1 ? broker.config().defaultPartitions()
                        : topic.numPartitions();
                if (topic.replicationFactor() != -1 && topic.replicationFactor() != 1) {
                    throw new InvalidReplicationFactorException("replication factor " + topic.replicationFactor()
                            + " is larger than the 1 broker of this cluster");
                }
                if (!topic.assignments().isEmpty()) {
                    throw new InvalidRequestException("manual partition assignment is not supported");
                }
                Map<String, String> configs = new LinkedHashMap<>();
                for (CreateTopicsRequestData.CreatableTopicConfig config : topic.configs()) {
                    configs.put(config.name(), config.value());
                }
                if (request.validateOnly()) {
                    broker.topics().validate(topic.name(), partitions, configs);
                    if (broker.topics().topic(topic.name()).isPresent()) {
                        throw new TopicExistsException("topic '" + topic.name() + "' already exists");
                    }
                    result.setNumPartitions(partitions).setReplicationFactor((short) 1);
                } else {
                    TopicRegistry.Topic created = broker.topics().create(topic.name(), partitions, configs);
                    result.setTopicId(created.id()).setNumPartitions(partitions).setReplicationFactor((short) 1);
                }
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage())
                        .setNumPartitions(-1).setReplicationFactor((short) -1);
            }
        }
        return response;
    }
}
