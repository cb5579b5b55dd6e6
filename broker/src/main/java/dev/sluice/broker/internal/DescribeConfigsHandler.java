package dev.sluice.broker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeConfigs: a topic's configs (set on the topic, or the broker default they fall back to), and the broker's
 * own log defaults. Needs DESCRIBE_CONFIGS on the topic, or on the cluster for the broker.
 */
final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequestData> {
    private final BrokerContext broker;

    DescribeConfigsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
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
    public CompletableFuture<ApiMessage> handle(RequestContext context, DescribeConfigsRequestData request) {
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData
                    .DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.results().add(result);
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            Errors denied = authorize(context, AclOperation.DESCRIBE_CONFIGS, type, resource.resourceName());
            if (denied != Errors.NONE) {
                result.setErrorCode(denied.code()).setErrorMessage("describing the configs of " + type + " '"
                        + resource.resourceName() + "' needs DESCRIBE_CONFIGS on it");
                continue;
            }
            List<TopicConfigs.Described> configs;
            byte overriddenSource;
            if (type == ConfigResource.Type.TOPIC) {
                Optional<TopicRegistry.Topic> topic = broker.topics().topic(resource.resourceName());
                if (topic.isEmpty()) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                            .setErrorMessage("topic '" + resource.resourceName() + "' does not exist");
                    continue;
                }
                configs = TopicConfigs.describe(broker.topics().defaults(), topic.get().configs());
                overriddenSource = DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id();
            } else if (type == ConfigResource.Type.BROKER
                    && (resource.resourceName().isEmpty()
                    || resource.resourceName().equals(Integer.toString(broker.config().nodeId())))) {
                configs = brokerConfigs();
                overriddenSource = DescribeConfigsResponse.ConfigSource.STATIC_BROKER_CONFIG.id();
            } else {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("configs of " + type + " '" + resource.resourceName() + "' are not kept");
                continue;
            }
            for (TopicConfigs.Described config : configs) {
                if (resource.configurationKeys() != null && !resource.configurationKeys().contains(config.name())) {
                    continue;
                }
                byte source = config.isDefault() ? DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id()
                        : overriddenSource;
                result.configs().add(new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                        .setName(config.name())
                        .setValue(config.value())
                        .setReadOnly(type == ConfigResource.Type.BROKER)
                        // Only version 0 has the field; later versions say it through the config source.
                        .setIsDefault(context.apiVersion() == 0 && config.isDefault())
                        .setConfigSource(source)
                        .setConfigType(config.type())
                        .setIsSensitive(false)
                        .setSynonyms(new ArrayList<>()));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    /**
     * Whether the principal may describe or alter a resource's configs: {@code operation} on the topic for a topic,
     * on the cluster for anything else; NONE, or the authorization error to answer with.
     */
    static Errors authorize(RequestContext context, AclOperation operation, ConfigResource.Type type, String name) {
        if (type == ConfigResource.Type.TOPIC) {
            return context.allowed(operation, ResourceType.TOPIC, name) ? Errors.NONE
                    : Errors.TOPIC_AUTHORIZATION_FAILED;
        }
        return context.allowedOnCluster(operation) ? Errors.NONE : Errors.CLUSTER_AUTHORIZATION_FAILED;
    }

    /** The broker-level defaults under Kafka's broker config names. */
    private List<TopicConfigs.Described> brokerConfigs() {
        var defaults = broker.topics().defaults();
        return List.of(
                new TopicConfigs.Described("auto.create.topics.enable",
                        Boolean.toString(broker.config().autoCreateTopics()), false, (byte) 1),
                new TopicConfigs.Described("broker.id", Integer.toString(broker.config().nodeId()), false, (byte) 3),
                new TopicConfigs.Described("log.cleanup.policy", defaults.cleanupPolicy().kafkaName(), false,
                        (byte) 7),
                new TopicConfigs.Described("log.retention.bytes", Long.toString(defaults.retentionBytes()), false,
                        (byte) 5),
                new TopicConfigs.Described("log.retention.ms", Long.toString(defaults.retentionMs()), false,
                        (byte) 5),
                new TopicConfigs.Described("log.segment.bytes", Integer.toString(defaults.segmentBytes()), false,
                        (byte) 3),
                new TopicConfigs.Described("message.max.bytes", Integer.toString(defaults.maxBatchBytes()), false,
                        (byte) 3),
                new TopicConfigs.Described("num.partitions", Integer.toString(broker.config().defaultPartitions()),
                        false, (byte) 3));
    }
}
