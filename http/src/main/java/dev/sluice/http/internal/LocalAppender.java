package dev.sluice.http.internal;

import dev.sluice.broker.KafkaBroker;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.TimestampType;

/**
 * Appends the records of HTTP requests to the broker of the same process, as one batch per topic for all the
 * requests an event loop handles in one turn: the requests of a turn are collected, and the batch is appended when
 * the turn's other work is done ({@link Context#runOnContext}), so concurrent requests share one append and one
 * write, as they share a batch in a Kafka producer, without waiting for a linger time. Each request completes when
 * its batch is durable.
 *
 * <p>Collections are per event-loop thread and touched only by it; a request from any other thread is appended
 * alone.
 */
final class LocalAppender {
    /** Requests are added to a batch until it holds this much; a larger single request is a batch of its own. */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private final KafkaBroker broker;
    private final String clientId;
    /** Spreads batches over a topic's partitions, as the producer's sticky partitioner would. */
    private final AtomicInteger nextPartition = new AtomicInteger();
    /** Per event-loop thread: requests may run on a duplicate of the loop's context each, the thread is the same. */
    private final ThreadLocal<Turn> turns = ThreadLocal.withInitial(Turn::new);

    LocalAppender(KafkaBroker broker, String clientId) {
        this.broker = broker;
        this.clientId = clientId;
    }

    /**
     * Appends the records to {@code topic}, which has {@code partitions} partitions; completes once they are
     * durable, or fails with the Kafka error of their batch.
     */
    CompletableFuture<Void> append(String topic, int partitions, List<ProducerRecord<byte[], byte[]>> records) {
        int bytes = size(records);
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext() || bytes >= MAX_BATCH_BYTES) {
            Pending alone = new Pending(records, new CompletableFuture<>(), bytes);
            send(topic, partitions, List.of(alone));
            return alone.done();
        }
        return turns.get().add(context, topic, partitions, records, bytes);
    }

    /** Appends the requests' records as one batch; each request's future completes when the batch is durable. */
    private void send(String topic, int partitions, List<Pending> requests) {
        int estimate = DefaultRecordBatch.RECORD_BATCH_OVERHEAD;
        for (Pending request : requests) {
            estimate += request.bytes();
        }
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate), Compression.NONE,
                TimestampType.CREATE_TIME, 0L);
        for (Pending request : requests) {
            for (ProducerRecord<byte[], byte[]> record : request.records()) {
                builder.append(record.timestamp(), record.key(), record.value(), record.headers().toArray());
            }
        }
        int partition = Math.floorMod(nextPartition.getAndIncrement(), partitions);
        CompletableFuture<Long> appended;
        try {
            appended = broker.produceLocally(clientId, topic, partition, builder.build());
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        // The log completes appends on its committer thread, between fsyncs: hand the batch's requests back to the
        // event loop in one task rather than answering each of them there, which would delay the next fsync.
        Context context = Vertx.currentContext();
        appended.whenComplete((offset, failure) -> {
            Runnable answer = tooLarge(failure) && requests.size() > 1
                    // Together over the topic's max.message.bytes: each on its own, as a producer splits a batch.
                    ? () -> requests.forEach(request -> send(topic, partitions, List.of(request)))
                    : () -> completeAll(requests, failure);
            if (context == null) {
                answer.run();
            } else {
                context.runOnContext(ignored -> answer.run());
            }
        });
    }

    private static boolean tooLarge(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof org.apache.kafka.common.errors.RecordTooLargeException
                || cause instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException;
    }

    private static void completeAll(List<Pending> requests, Throwable failure) {
        for (Pending request : requests) {
            if (failure != null) {
                request.done().completeExceptionally(failure);
            } else {
                request.done().complete(null);
            }
        }
    }

    /** Bytes the records take in a batch, about: values, headers and per-record overhead. */
    private static int size(List<ProducerRecord<byte[], byte[]>> records) {
        int bytes = 0;
        for (ProducerRecord<byte[], byte[]> record : records) {
            bytes += record.value().length + (record.key() == null ? 0 : record.key().length) + 32;
            for (Header header : record.headers()) {
                bytes += header.key().length() + (header.value() == null ? 0 : header.value().length) + 8;
            }
        }
        return bytes;
    }

    private record Pending(List<ProducerRecord<byte[], byte[]>> records, CompletableFuture<Void> done, int bytes) {
    }

    /** What one event loop collects in a turn, per topic. Confined to that event loop. */
    private final class Turn {
        private final Map<String, List<Pending>> byTopic = new HashMap<>();
        private final Map<String, Integer> partitionsOf = new HashMap<>();
        private final Map<String, Integer> bytesOf = new HashMap<>();
        private boolean scheduled;

        CompletableFuture<Void> add(Context context, String topic, int partitions, List<ProducerRecord<byte[], byte[]>> records,
                                    int bytes) {
            if (bytesOf.getOrDefault(topic, 0) + bytes > MAX_BATCH_BYTES) {
                flush(topic);
            }
            Pending pending = new Pending(records, new CompletableFuture<>(), bytes);
            byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(pending);
            partitionsOf.put(topic, partitions);
            bytesOf.merge(topic, bytes, Integer::sum);
            if (!scheduled) {
                scheduled = true;
                context.runOnContext(ignored -> flushAll());
            }
            return pending.done();
        }

        private void flushAll() {
            scheduled = false;
            for (String topic : new ArrayList<>(byTopic.keySet())) {
                flush(topic);
            }
        }

        private void flush(String topic) {
            List<Pending> requests = byTopic.remove(topic);
            bytesOf.remove(topic);
            Integer partitions = partitionsOf.remove(topic);
            if (requests != null && !requests.isEmpty()) {
                send(topic, partitions, requests);
            }
        }
    }
}
