package dev.sluice.client;

import dev.sluice.client.internal.AudienceState;
import dev.sluice.control.api.Direction;
import dev.sluice.pipelines.ChainResult;
import dev.sluice.pipelines.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A {@link KafkaConsumer} of byte-array values that runs the topic's consume pipelines on each record before
 * {@link #poll} returns it: changed values come back changed, dropped records are left out (their offsets still
 * count as consumed), dead letters are written to the dead-letter topic and left out.
 */
public final class SluiceConsumer<K> implements AutoCloseable {
    private final SluiceClient client;
    private final Properties config;
    private final KafkaConsumer<K, byte[]> consumer;
    private KafkaProducer<byte[], byte[]> deadLetters;

    SluiceConsumer(SluiceClient client, Properties config, Deserializer<K> keyDeserializer) {
        this.client = client;
        this.config = config;
        this.consumer = new KafkaConsumer<>(config, keyDeserializer, new ByteArrayDeserializer());
    }

    public void subscribe(Collection<String> topics) {
        consumer.subscribe(topics);
    }

    public void assign(Collection<TopicPartition> partitions) {
        consumer.assign(partitions);
    }

    public void seekToBeginning(Collection<TopicPartition> partitions) {
        consumer.seekToBeginning(partitions);
    }

    public ConsumerRecords<K, byte[]> poll(Duration timeout) {
        ConsumerRecords<K, byte[]> polled = consumer.poll(timeout);
        if (polled.isEmpty()) {
            return polled;
        }
        Map<TopicPartition, List<ConsumerRecord<K, byte[]>>> kept = new HashMap<>();
        for (TopicPartition partition : polled.partitions()) {
            List<ConsumerRecord<K, byte[]>> records = polled.records(partition);
            AudienceState audience = client.audience(partition.topic(), Direction.DIRECTION_CONSUME);
            List<ConsumerRecord<K, byte[]>> out = new ArrayList<>(records.size());
            for (ConsumerRecord<K, byte[]> record : records) {
                ChainResult result = audience.process(record.value(), record.headers(), record.topic());
                if (result == null) {
                    out.add(record);
                } else if (result.verdict() == Verdict.PASS) {
                    out.add(changed(record, result));
                } else if (result.verdict() == Verdict.DEAD_LETTER) {
                    deadLetter(record, result);
                }
            }
            kept.put(partition, out);
        }
        return new ConsumerRecords<>(kept);
    }

    private ConsumerRecord<K, byte[]> changed(ConsumerRecord<K, byte[]> record, ChainResult result) {
        if (!result.changed() && result.headers() == null) {
            return record;
        }
        Headers headers = new RecordHeaders(record.headers().toArray());
        if (result.headers() != null) {
            result.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), result.value().length, record.key(),
                result.value(), headers, record.leaderEpoch());
    }

    private void deadLetter(ConsumerRecord<K, byte[]> record, ChainResult result) {
        if (deadLetters == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
            props.put(ProducerConfig.CLIENT_ID_CONFIG, config.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-dead-letters");
            deadLetters = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add("sluice.error", result.reason().getBytes(StandardCharsets.UTF_8));
        headers.add("sluice.topic", record.topic().getBytes(StandardCharsets.UTF_8));
        byte[] key = record.serializedKeySize() < 0 ? null
                : Optional.ofNullable(record.key()).map(k -> k.toString().getBytes(StandardCharsets.UTF_8))
                .orElse(null);
        deadLetters.send(new ProducerRecord<>(result.deadLetter(), null, record.timestamp(), key, result.value(),
                headers));
    }

    public void commitSync() {
        consumer.commitSync();
    }

    /** The wrapped consumer, for what this class does not offer. */
    public KafkaConsumer<K, byte[]> delegate() {
        return consumer;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(30));
        if (deadLetters != null) {
            deadLetters.close(Duration.ofSeconds(30));
        }
    }
}
