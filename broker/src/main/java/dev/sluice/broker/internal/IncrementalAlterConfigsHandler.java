package dev.sluice.broker.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * IncrementalAlterConfigs: SET, DELETE (back to the default), APPEND and SUBTRACT (for list configs such as
 * {@code cleanup.policy}) applied to a topic's current configs, then stored like AlterConfigs. Needs ALTER_CONFIGS
 * on the topic.
 */
final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequestData> {
    private final BrokerContext broker;

    IncrementalAlterConfigsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, IncrementalAlterConfigsRequestData request) {
        return CompletableFuture.supplyAsync(() -> alter(context, request), broker.blocking());
    }

    private ApiMessage alter(RequestContext context, IncrementalAlterConfigsRequestData request) {
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
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
            try {
                if (type != ConfigResource.Type.TOPIC) {
                    throw new InvalidRequestException(
                            "only topic configs can be altered; broker settings come from sluice.yaml");
                }
                TopicRegistry.Topic topic = broker.topics().topic(resource.resourceName()).orElseThrow(
                        () -> new UnknownTopicOrPartitionException("topic '" + resource.resourceName()
                                + "' does not exist"));
                Map<String, String> configs = new LinkedHashMap<>(topic.configs());
                for (IncrementalAlterConfigsRequestData.AlterableConfig op : resource.configs()) {
                    apply(configs, op, topic);
                }
                broker.topics().alterConfigs(topic.name(), configs, request.validateOnly());
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
        }
        return response;
    }

    private void apply(Map<String, String> configs, IncrementalAlterConfigsRequestData.AlterableConfig op,
                       TopicRegistry.Topic topic) {
        AlterConfigOp.OpType type = AlterConfigOp.OpType.forId(op.configOperation());
        if (type == null) {
            throw new InvalidRequestException("unknown config operation " + op.configOperation());
        }
        switch (type) {
            case SET -> configs.put(op.name(), op.value());
            case DELETE -> configs.remove(op.name());
            case APPEND, SUBTRACT -> {
                String current = configs.get(op.name());
                if (current == null) {
                    current = TopicConfigs.describe(broker.topics().defaults(), topic.configs()).stream()
                            .filter(d -> d.name().equals(op.name())).map(TopicConfigs.Described::value)
                            .findFirst().orElse("");
                }
                List<String> values = new ArrayList<>(current.isEmpty() ? List.of()
                        : Arrays.asList(current.split("\\s*,\\s*")));
                for (String value : op.value().split("\\s*,\\s*")) {
                    if (type == AlterConfigOp.OpType.APPEND && !values.contains(value)) {
                        values.add(value);
                    } else if (type == AlterConfigOp.OpType.SUBTRACT) {
                        values.remove(value);
                    }
                }
                configs.put(op.name(), String.join(",", values));
            }
        }
    }
}
