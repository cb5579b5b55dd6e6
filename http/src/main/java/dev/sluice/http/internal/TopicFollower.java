package dev.sluice.http.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Sluice's metadata topics (compacted, one partition each) from the beginning into a store and keeps following
 * them on a virtual thread: how the HTTP component's sink and pipeline stores see what is written there, by them or by
 * others. Records reach {@code apply} in offset order per partition, on the loading thread first and then on the
 * follower's.
 */
final class TopicFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final KafkaGateway kafka;
    private final List<TopicPartition> partitions;
    private final String name;
    private final Consumer<ConsumerRecord<byte[], byte[]>> apply;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private volatile boolean running = true;

    /** @param name names the follower's thread and, in a log line, what stops changing if it fails */
    TopicFollower(KafkaGateway kafka, List<TopicPartition> partitions, String name,
                  Consumer<ConsumerRecord<byte[], byte[]>> apply) {
        this.kafka = kafka;
        this.partitions = partitions;
        this.name = name;
        this.apply = apply;
    }

    /** Reads every partition to the end it has now, then follows on. Blocking. */
    void start() {
        consumer = kafka.newConsumer();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
            poll();
        }
        thread = Thread.ofVirtual().name(name).start(this::follow);
    }

    private void follow() {
        try {
            while (running) {
                poll();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("following {} failed; {} no longer change", partitions, name, e);
            }
        }
    }

    private void poll() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            apply.accept(record);
        }
    }

    @Override
    public void close() {
        running = false;
        if (consumer == null) {
            return;
        }
        consumer.wakeup();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close(Duration.ZERO);
    }
}
