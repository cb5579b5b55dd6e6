package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * DescribeCluster: the cluster id, and this node as its only broker and its controller. Like Kafka it answers any
 * authenticated client: Metadata reveals the same brokers and cluster id to everyone anyway.
 */
final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequestData> {
    private final BrokerContext broker;

    DescribeClusterHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
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
    public CompletableFuture<ApiMessage> handle(RequestContext context, DescribeClusterRequestData request) {
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(broker.config().clusterId())
                .setControllerId(broker.config().nodeId())
                .setEndpointType((byte) 1);
        response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(broker.config().nodeId())
                .setHost(broker.advertisedHost())
                .setPort(broker.advertisedPort()));
        return CompletableFuture.completedFuture(response);
    }
}
