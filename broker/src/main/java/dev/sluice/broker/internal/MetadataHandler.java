package dev.sluice.broker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Metadata: this node as the only broker, controller and leader of every partition; the topics asked for (all when
 * the list is null), auto-creating unknown ones when both the broker and the client allow it. Topics the principal
 * may not DESCRIBE are left out of "all topics" and answered with TOPIC_AUTHORIZATION_FAILED when named;
 * auto-creation needs CREATE on the cluster or the topic.
 */
final class MetadataHandler implements ApiHandler<MetadataRequestData> {
    private final BrokerContext broker;

    MetadataHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 12;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, MetadataRequestData request) {
        // Auto-creation appends to the metadata log and waits for its fsync: off the event loop.
        return CompletableFuture.supplyAsync(() -> metadata(context, request), broker.blocking());
    }

    private ApiMessage metadata(RequestContext context, MetadataRequestData request) {
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(broker.config().clusterId())
                .setControllerId(broker.config().nodeId());
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(broker.config().nodeId())
                .setHost(broker.advertisedHost())
                .setPort(broker.advertisedPort()));
        List<TopicRegistry.Topic> topics = new ArrayList<>();
        if (request.topics() == null) {
            for (TopicRegistry.Topic topic : broker.topics().topics()) {
                if (describable(context, topic.name())) {
                    topics.add(topic);
                }
            }
        } else {
            for (MetadataRequestData.MetadataRequestTopic wanted : request.topics()) {
                String name = wanted.name();
                if (name == null && wanted.topicId() != null && !Uuid.ZERO_UUID.equals(wanted.topicId())) {
                    var byId = broker.topics().topic(wanted.topicId());
                    if (byId.isPresent() && !describable(context, byId.get().name())) {
                        response.topics().add(error(null, wanted.topicId(), Errors.TOPIC_AUTHORIZATION_FAILED));
                    } else if (byId.isPresent()) {
                        topics.add(byId.get());
                    } else {
                        response.topics().add(error(null, wanted.topicId(), Errors.UNKNOWN_TOPIC_ID));
                    }
                    continue;
                }
                if (!describable(context, name)) {
                    // Whether it exists is not told either.
                    response.topics().add(error(name, Uuid.ZERO_UUID, Errors.TOPIC_AUTHORIZATION_FAILED));
                    continue;
                }
                var known = broker.topics().topic(name);
                if (known.isPresent()) {
                    topics.add(known.get());
                } else if (broker.config().autoCreateTopics()
                        && (context.apiVersion() < 4 || request.allowAutoTopicCreation())) {
                    if (!CreateTopicsHandler.mayCreate(context, name)) {
                        response.topics().add(error(name, Uuid.ZERO_UUID, Errors.TOPIC_AUTHORIZATION_FAILED));
                        continue;
                    }
                    try {
                        topics.add(broker.topics().create(name, broker.config().defaultPartitions(), Map.of()));
                    } catch (TopicExistsException raced) {
                        topics.add(broker.topics().topic(name).orElseThrow());
                    } catch (ApiException e) {
                        response.topics().add(error(name, Uuid.ZERO_UUID, Errors.forException(e)));
                    }
                } else {
                    response.topics().add(error(name, Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION));
                }
            }
        }
        int node = broker.config().nodeId();
        for (TopicRegistry.Topic topic : topics) {
            MetadataResponseData.MetadataResponseTopic entry = new MetadataResponseData.MetadataResponseTopic()
                    .setName(topic.name())
                    .setTopicId(topic.id())
                    .setIsInternal(false);
            for (int p = 0; p < topic.partitions(); p++) {
                entry.partitions().add(new MetadataResponseData.MetadataResponsePartition()
                        .setPartitionIndex(p)
                        .setLeaderId(node)
                        .setLeaderEpoch(0)
                        .setReplicaNodes(List.of(node))
                        .setIsrNodes(List.of(node)));
            }
            response.topics().add(entry);
        }
        return response;
    }

    private static boolean describable(RequestContext context, String topic) {
        return context.allowed(AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
    }

    private static MetadataResponseData.MetadataResponseTopic error(String name, Uuid id, Errors error) {
        return new MetadataResponseData.MetadataResponseTopic().setName(name).setTopicId(id)
                .setErrorCode(error.code());
    }
}
