package dev.sluice.broker.internal;

import dev.sluice.log.PartitionLog;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeLogDirs: the one log directory, its partitions' sizes, and the disk's total and usable bytes. Needs
 * DESCRIBE on the cluster.
 */
final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequestData> {
    private final BrokerContext broker;

    DescribeLogDirsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, DescribeLogDirsRequestData request) {
        if (!context.allowedOnCluster(AclOperation.DESCRIBE)) {
            // As Kafka: no directories, and from v3 the error saying why.
            return CompletableFuture.completedFuture(new DescribeLogDirsResponseData()
                    .setErrorCode(context.apiVersion() >= 3 ? Errors.CLUSTER_AUTHORIZATION_FAILED.code() : 0));
        }
        return CompletableFuture.supplyAsync(() -> describe(request), broker.blocking());
    }

    private ApiMessage describe(DescribeLogDirsRequestData request) {
        Map<String, List<Integer>> wanted = new TreeMap<>();
        if (request.topics() == null) {
            for (TopicRegistry.Topic topic : broker.topics().topics()) {
                List<Integer> partitions = new ArrayList<>();
                for (int p = 0; p < topic.partitions(); p++) {
                    partitions.add(p);
                }
                wanted.put(topic.name(), partitions);
            }
        } else {
            for (DescribeLogDirsRequestData.DescribableLogDirTopic topic : request.topics()) {
                wanted.put(topic.topic(), topic.partitions());
            }
        }
        DescribeLogDirsResponseData.DescribeLogDirsResult dir = new DescribeLogDirsResponseData.DescribeLogDirsResult()
                .setLogDir(broker.logs().dir().toAbsolutePath().toString());
        try {
            FileStore store = Files.getFileStore(broker.logs().dir());
            dir.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            dir.setTotalBytes(-1).setUsableBytes(-1);
        }
        for (Map.Entry<String, List<Integer>> topic : wanted.entrySet()) {
            DescribeLogDirsResponseData.DescribeLogDirsTopic described =
                    new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName(topic.getKey());
            for (int partition : topic.getValue()) {
                var log = broker.log(topic.getKey(), partition);
                if (log.isEmpty()) {
                    continue;
                }
                PartitionLog partitionLog = log.get();
                described.partitions().add(new DescribeLogDirsResponseData.DescribeLogDirsPartition()
                        .setPartitionIndex(partition)
                        .setPartitionSize(partitionLog.sizeInBytes())
                        .setOffsetLag(0)
                        .setIsFutureKey(false));
            }
            if (!described.partitions().isEmpty()) {
                dir.topics().add(described);
            }
        }
        return new DescribeLogDirsResponseData().setResults(List.of(dir));
    }
}
