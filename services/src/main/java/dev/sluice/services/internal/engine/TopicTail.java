package dev.sluice.services.internal.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a metadata topic (one partition) from its beginning and keeps following it on a thread of its own: how the
 * engine sees the catalog and the runs other processes write. Records reach {@code apply} in offset order, on the
 * caller of {@link #start} until the end it found, then on the follower thread.
 */
final class TopicTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final String name;
    private final Consumer<ConsumerRecord<byte[], byte[]>> apply;
    private Thread thread;
    private volatile boolean running = true;
    /** The offset the next record will have: every record before it has been applied. */
    private volatile long position;

    TopicTail(Map<String, Object> kafka, String topic, String name, Consumer<ConsumerRecord<byte[], byte[]>> apply) {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-services-" + name);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partitions = List.of(new TopicPartition(topic, 0));
        this.name = name;
        this.apply = apply;
    }

    /** Reads to the end the topic has now, then follows on. Blocking. */
    void start() {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
            poll();
        }
        thread = Thread.ofPlatform().daemon().name("sluice-services-" + name).start(this::follow);
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
                LOG.error("following {} failed; the services engine no longer sees its changes", partitions, e);
            }
        }
    }

    private void poll() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            try {
                apply.accept(record);
            } catch (RuntimeException e) {
                LOG.error("skipping unreadable record {} of {}: {}", record.offset(), record.topic(), e.toString());
            }
        }
        position = consumer.position(partitions.getFirst());
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Waits until every record before {@code offset} has been applied, or the timeout passed.
     *
     * @return whether it has
     */
    synchronized boolean awaitPosition(long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (position < offset) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public void close() {
        running = false;
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
