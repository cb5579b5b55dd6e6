package dev.sluice.broker.internal;

import dev.sluice.log.AppendCallback;
import dev.sluice.log.PartitionLog;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * Appends single records that the broker writes on its own behalf — dead letters, ops events — to topics it creates
 * when they are missing (with the broker's default partitions). Creating a topic waits for the metadata log, so it
 * runs on the blocking executor; the append itself completes from the log like any produce.
 */
final class SideTopics {
    private final BrokerContext broker;

    SideTopics(BrokerContext broker) {
        this.broker = broker;
    }

    /**
     * Appends a record; the future completes once it is durable, or with the failure.
     * The partition is chosen from the key (murmur2, as Kafka's default partitioner) or is 0 without one.
     */
    CompletableFuture<Long> append(String topic, byte[] key, byte[] value, Header[] headers, long timestamp) {
        return CompletableFuture.supplyAsync(() -> ensure(topic), broker.blocking()).thenCompose(partitions -> {
            int partition = key == null ? 0 : Utils.toPositive(Utils.murmur2(key)) % partitions;
            PartitionLog log = broker.log(topic, partition).orElseThrow(
                    () -> new IllegalStateException("topic " + topic + " has no partition " + partition));
            ByteBuffer batch = MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord(timestamp, key, value, headers)).buffer();
            CompletableFuture<Long> done = new CompletableFuture<>();
            TopicPartition tp = log.topicPartition();
            log.append(batch, (AppendCallback) (baseOffset, lastOffset, logStartOffset, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    broker.waiters().notifyNewData(tp);
                    broker.metrics().topic(topic).recordsIn().increment(1);
                    done.complete(baseOffset);
                }
            });
            return done;
        });
    }

    /**
     * The topic's partition count, creating it when missing. Looked up under the topic registry's own lock, the one
     * its {@code create} holds, so a topic another request is creating is seen only once its partition logs exist.
     */
    private int ensure(String topic) {
        TopicRegistry registry = broker.topics();
        synchronized (registry) {
            var known = registry.topic(topic);
            if (known.isPresent()) {
                return known.get().partitions();
            }
            try {
                return registry.create(topic, broker.config().defaultPartitions(), Map.of()).partitions();
            } catch (TopicExistsException raced) {
                return registry.topic(topic).orElseThrow().partitions();
            }
        }
    }

    static Header[] none() {
        return new Header[0];
    }
}
