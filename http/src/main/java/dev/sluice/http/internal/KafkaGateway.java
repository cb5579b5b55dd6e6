package dev.sluice.http.internal;

import dev.sluice.services.ServiceTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The HTTP component's way into the broker: Kafka's own clients over the Kafka protocol, in the same process or not.
 * One admin client and one producer serve every request (both are thread-safe; the producer batches records of
 * concurrent requests together); consumers, which are not thread-safe, are lent out one per read.
 *
 * <p>With auth on, the clients log in as the broker's superuser with the token (SASL PLAIN).
 */
final class KafkaGateway implements AutoCloseable {
    /** How long a topic known to exist is trusted before asking the broker again. */
    private static final long TOPIC_CACHE_NANOS = Duration.ofSeconds(5).toNanos();
    private static final int IDLE_CONSUMERS = 4;

    private final Map<String, Object> common;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConcurrentLinkedQueue<KafkaConsumer<byte[], byte[]>> idle = new ConcurrentLinkedQueue<>();
    private final Map<String, KnownTopic> knownTopics = new ConcurrentHashMap<>();
    /** Topics the producer has written to successfully, so it holds their metadata and send() will not block. */
    private final java.util.Set<String> warmTopics = ConcurrentHashMap.newKeySet();
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();

    KafkaGateway(String bootstrapServers, String authToken, long producerBufferBytes) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, IngestRoute.CLIENT_ID);
        if (authToken != null) {
            config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
            config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule "
                    + "required username=\"admin\" password=\"" + authToken.replace("\\", "\\\\")
                    .replace("\"", "\\\"") + "\";");
        }
        this.common = Map.copyOf(config);

        Map<String, Object> adminConfig = new HashMap<>(common);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        this.admin = Admin.create(adminConfig);

        Map<String, Object> producerConfig = new HashMap<>(common);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Records of concurrent requests share batches while earlier ones are in flight; large batches keep the
        // number of appends (and the broker's work per record) low under load.
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // A deployed service version is one record of up to ServiceTopics.MAX_RECORD_BYTES (the catalog topic's
        // max.message.bytes, which is what refuses larger ones); the margin is for the request around it.
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ServiceTopics.MAX_RECORD_BYTES + 1024 * 1024);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        producerConfig.put(ProducerConfig.BUFFER_MEMORY_CONFIG, producerBufferBytes);
        // Keep metadata of every topic written to: a send to a topic whose metadata expired would block for it.
        producerConfig.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, 24 * 60 * 60 * 1000);
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(producerConfig);
    }

    Admin admin() {
        return admin;
    }

    KafkaProducer<byte[], byte[]> producer() {
        return producer;
    }

    /**
     * Hands the records to the producer and returns one future per record, completed when the broker acknowledged it
     * (acks=all: durable). The producer's send blocks only to fetch a topic's metadata, so records of topics it has
     * written to successfully before are handed over on the calling thread (an event loop); others go through a
     * virtual thread.
     */
    CompletableFuture<List<CompletableFuture<RecordMetadata>>> send(List<ProducerRecord<byte[], byte[]>> records) {
        for (ProducerRecord<byte[], byte[]> record : records) {
            if (!warmTopics.contains(record.topic())) {
                return blocking(() -> sendNow(records));
            }
        }
        return CompletableFuture.completedFuture(sendNow(records));
    }

    private List<CompletableFuture<RecordMetadata>> sendNow(List<ProducerRecord<byte[], byte[]>> records) {
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> record : records) {
            CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
            producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    warmTopics.remove(record.topic());
                    ack.completeExceptionally(failure);
                } else {
                    warmTopics.add(record.topic());
                    ack.complete(metadata);
                }
            });
            acks.add(ack);
        }
        return acks;
    }

    /** The configs of Sluice's own metadata topics: compacted, kept forever. */
    static final Map<String, String> COMPACTED_FOREVER = Map.of(
            org.apache.kafka.common.config.TopicConfig.CLEANUP_POLICY_CONFIG,
            org.apache.kafka.common.config.TopicConfig.CLEANUP_POLICY_COMPACT,
            org.apache.kafka.common.config.TopicConfig.RETENTION_MS_CONFIG, "-1");

    /**
     * Creates a one-partition topic with these configs unless it exists (then leaves it as it is). Blocking.
     *
     * @throws ApiError when the broker refuses or cannot be reached
     */
    void ensureTopic(String topic, Map<String, String> configs) {
        create(new NewTopic(topic, 1, (short) 1).configs(configs));
    }

    /** Creates a topic with the broker's defaults (partitions, configs) unless it exists. Blocking. */
    void ensureTopic(String topic) {
        create(new NewTopic(topic, Optional.empty(), Optional.empty()));
    }

    private void create(NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw ApiError.from(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted", "interrupted while creating topic " + topic.name());
        }
    }

    /** Runs blocking work (a consumer's poll, a producer's first metadata wait) on a virtual thread. */
    <T> CompletableFuture<T> blocking(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, blocking);
    }

    /**
     * The topic's partition count; fails with a 404 when it does not exist. Asked of the broker without creating it
     * (a producer's metadata request would auto-create it), and remembered for a few seconds.
     */
    CompletableFuture<Integer> requireTopic(String topic) {
        KnownTopic known = knownTopics.get(topic);
        if (known != null && System.nanoTime() - known.seenNanos() < TOPIC_CACHE_NANOS) {
            return CompletableFuture.completedFuture(known.partitions());
        }
        return admin.describeTopics(java.util.List.of(topic)).allTopicNames().toCompletionStage()
                .toCompletableFuture()
                .handle((descriptions, failure) -> {
                    if (failure != null) {
                        knownTopics.remove(topic);
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        if (cause instanceof UnknownTopicOrPartitionException) {
                            throw ApiError.notFound("topic_not_found", "topic '" + topic + "' does not exist");
                        }
                        throw ApiError.from(failure);
                    }
                    int partitions = descriptions.get(topic).partitions().size();
                    knownTopics.put(topic, new KnownTopic(partitions, System.nanoTime()));
                    return partitions;
                });
    }

    private record KnownTopic(int partitions, long seenNanos) {
    }

    /** Forgets what is known about a topic, after deleting it. */
    void forgetTopic(String topic) {
        knownTopics.remove(topic);
        warmTopics.remove(topic);
    }

    /** A consumer without a group, assigned nothing; give it back with {@link #release}. */
    KafkaConsumer<byte[], byte[]> borrowConsumer() {
        KafkaConsumer<byte[], byte[]> consumer = idle.poll();
        return consumer != null ? consumer : newConsumer();
    }

    void release(KafkaConsumer<byte[], byte[]> consumer) {
        consumer.unsubscribe();
        if (idle.size() < IDLE_CONSUMERS) {
            idle.add(consumer);
        } else {
            consumer.close(Duration.ZERO);
        }
    }

    KafkaConsumer<byte[], byte[]> newConsumer() {
        Map<String, Object> config = new HashMap<>(common);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    @Override
    public void close() {
        blocking.shutdownNow();
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        KafkaConsumer<byte[], byte[]> consumer;
        while ((consumer = idle.poll()) != null) {
            consumer.close(Duration.ZERO);
        }
    }
}
