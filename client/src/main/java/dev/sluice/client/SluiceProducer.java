package dev.sluice.client;

import dev.sluice.client.internal.AudienceState;
import dev.sluice.control.api.Direction;
import dev.sluice.pipelines.ChainResult;
import dev.sluice.pipelines.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link KafkaProducer} of byte-array values that runs the topic's produce pipelines on each record first: a
 * changed value is sent changed, a dropped record is not sent (its future completes with offset -1), a dead letter
 * goes to the dead-letter topic instead, with {@code sluice.error} saying why.
 */
public final class SluiceProducer<K> implements AutoCloseable {
    private final SluiceClient client;
    private final KafkaProducer<K, byte[]> producer;

    SluiceProducer(SluiceClient client, Properties config, Serializer<K> keySerializer) {
        this.client = client;
        this.producer = new KafkaProducer<>(config, keySerializer, new ByteArraySerializer());
    }

    public Future<RecordMetadata> send(ProducerRecord<K, byte[]> record) {
        return send(record, null);
    }

    public Future<RecordMetadata> send(ProducerRecord<K, byte[]> record, Callback callback) {
        AudienceState audience = client.audience(record.topic(), Direction.DIRECTION_PRODUCE);
        ChainResult result = audience.process(record.value(), record.headers(), record.topic());
        if (result == null) {
            return producer.send(record, callback);
        }
        Headers headers = new RecordHeaders(record.headers().toArray());
        if (result.headers() != null) {
            for (Map.Entry<String, String> header : result.headers().entrySet()) {
                headers.add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        if (result.verdict() == Verdict.PASS) {
            return producer.send(new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(),
                    record.key(), result.value(), headers), callback);
        }
        if (result.verdict() == Verdict.DEAD_LETTER) {
            headers.add("sluice.error", result.reason().getBytes(StandardCharsets.UTF_8));
            headers.add("sluice.topic", record.topic().getBytes(StandardCharsets.UTF_8));
            return producer.send(new ProducerRecord<>(result.deadLetter(), null, record.timestamp(), record.key(),
                    result.value(), headers), callback);
        }
        RecordMetadata dropped = new RecordMetadata(new TopicPartition(record.topic(),
                record.partition() == null ? -1 : record.partition()), -1, 0,
                record.timestamp() == null ? System.currentTimeMillis() : record.timestamp(), -1, -1);
        if (callback != null) {
            callback.onCompletion(dropped, null);
        }
        return CompletableFuture.completedFuture(dropped);
    }

    public void flush() {
        producer.flush();
    }

    /** The wrapped producer, for what this class does not offer (transactions, metrics). */
    public KafkaProducer<K, byte[]> delegate() {
        return producer;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
