package dev.sluice.broker.internal;

import dev.sluice.log.PartitionLog;
import dev.sluice.log.ReadResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Fetch: reads each partition from its fetch offset and answers with file slices sent zero-copy. When fewer than
 * {@code min_bytes} are available it waits, up to {@code max_wait_ms}, for a produce to one of the partitions.
 * Every request is a full fetch: the response's session id 0 tells clients that this broker keeps no fetch sessions,
 * which they all accept (KIP-227). Needs READ on each topic; a topic without it is answered at once with
 * TOPIC_AUTHORIZATION_FAILED.
 */
final class FetchHandler implements ApiHandler<FetchRequestData> {
    private final BrokerContext broker;

    FetchHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public short minVersion() {
        return 4;
    }

    @Override
    public short maxVersion() {
        return 16;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, FetchRequestData request) {
        CompletableFuture<ApiMessage> result = new CompletableFuture<>();
        Set<String> unreadable = unreadable(context, request);
        FetchResponseData first = read(context, request, unreadable);
        if (first.errorCode() != 0 || request.maxWaitMs() <= 0 || bytes(first) >= Math.max(1, request.minBytes())) {
            result.complete(first);
            return result;
        }
        List<TopicPartition> partitions = partitions(context, request, unreadable);
        if (partitions.isEmpty()) {
            result.complete(first);
            return result;
        }
        // Long poll: answer on new data or at the deadline, whichever is first.
        Runnable[] cancel = new Runnable[1];
        ScheduledFuture<?> deadline = broker.timer().schedule(() -> {
            cancel[0].run();
            result.complete(read(context, request, unreadable));
        }, request.maxWaitMs(), TimeUnit.MILLISECONDS);
        cancel[0] = broker.waiters().await(partitions, () -> {
            FetchResponseData again = read(context, request, unreadable);
            if (bytes(again) >= Math.max(1, request.minBytes())
                    || !retry(context, request, unreadable, result, deadline)) {
                deadline.cancel(false);
                result.complete(again);
            }
        });
        // Data may have arrived between the first read and registering.
        FetchResponseData raced = read(context, request, unreadable);
        if (bytes(raced) >= Math.max(1, request.minBytes())) {
            cancel[0].run();
            deadline.cancel(false);
            result.complete(raced);
        }
        return result;
    }

    /** Waits again after a wake-up that did not bring enough bytes; false if the deadline already passed. */
    private boolean retry(RequestContext context, FetchRequestData request, Set<String> unreadable,
                          CompletableFuture<ApiMessage> result, ScheduledFuture<?> deadline) {
        if (deadline.isDone() || result.isDone()) {
            return false;
        }
        broker.waiters().await(partitions(context, request, unreadable), () -> {
            FetchResponseData again = read(context, request, unreadable);
            if (bytes(again) >= Math.max(1, request.minBytes())
                    || !retry(context, request, unreadable, result, deadline)) {
                deadline.cancel(false);
                result.complete(again);
            }
        });
        return true;
    }

    /** The topics of the request the principal may not READ, decided once per request; empty without auth. */
    private Set<String> unreadable(RequestContext context, FetchRequestData request) {
        if (!context.authorizer().enforcing()) {
            return Set.of();
        }
        Set<String> unreadable = new HashSet<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            topicName(context, topic).filter(name -> !context.allowed(AclOperation.READ, ResourceType.TOPIC, name))
                    .ifPresent(unreadable::add);
        }
        return unreadable;
    }

    private List<TopicPartition> partitions(RequestContext context, FetchRequestData request,
                                            Set<String> unreadable) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            Optional<String> name = topicName(context, topic);
            if (name.isPresent() && !unreadable.contains(name.get())) {
                for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                    partitions.add(new TopicPartition(name.get(), partition.partition()));
                }
            }
        }
        return partitions;
    }

    private Optional<String> topicName(RequestContext context, FetchRequestData.FetchTopic topic) {
        if (context.apiVersion() >= 13) {
            return broker.topics().topic(topic.topicId()).map(TopicRegistry.Topic::name);
        }
        return broker.topics().topic(topic.topic()).map(TopicRegistry.Topic::name);
    }

    private FetchResponseData read(RequestContext context, FetchRequestData request, Set<String> unreadable) {
        FetchResponseData response = new FetchResponseData().setSessionId(0);
        int remaining = request.maxBytes() > 0 ? request.maxBytes() : Integer.MAX_VALUE;
        boolean readCommitted = request.isolationLevel() == 1;
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            Optional<String> name = topicName(context, topic);
            // Versions 13 and later name topics by id only.
            FetchResponseData.FetchableTopicResponse topicResponse = new FetchResponseData.FetchableTopicResponse()
                    .setTopic(context.apiVersion() >= 13 ? "" : topic.topic())
                    .setTopicId(context.apiVersion() >= 13 ? topic.topicId() : Uuid.ZERO_UUID);
            response.responses().add(topicResponse);
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
                        .setPartitionIndex(partition.partition())
                        .setHighWatermark(-1)
                        .setLastStableOffset(-1)
                        .setLogStartOffset(-1)
                        .setAbortedTransactions(readCommitted ? new ArrayList<>() : null)
                        .setRecords(MemoryRecords.EMPTY);
                topicResponse.partitions().add(data);
                if (name.isPresent() && unreadable.contains(name.get())) {
                    data.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                    continue;
                }
                Optional<PartitionLog> log = name.flatMap(n -> broker.log(n, partition.partition()));
                if (log.isEmpty()) {
                    data.setErrorCode(name.isEmpty() && context.apiVersion() >= 13
                            ? Errors.UNKNOWN_TOPIC_ID.code() : Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                PartitionLog partitionLog = log.get();
                try {
                    int max = Math.min(partition.partitionMaxBytes(), remaining);
                    if (max <= 0) {
                        data.setHighWatermark(partitionLog.highWatermark())
                                .setLastStableOffset(partitionLog.highWatermark())
                                .setLogStartOffset(partitionLog.logStartOffset());
                        continue;
                    }
                    ReadResult read = partitionLog.read(partition.fetchOffset(), max);
                    data.setHighWatermark(read.highWatermark())
                            .setLastStableOffset(read.highWatermark())
                            .setLogStartOffset(read.logStartOffset());
                    if (!read.records().isEmpty()) {
                        data.setRecords(new SliceRecords(read.records()));
                        remaining -= read.records().size();
                    }
                } catch (OffsetOutOfRangeException e) {
                    data.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code())
                            .setHighWatermark(partitionLog.highWatermark())
                            .setLastStableOffset(partitionLog.highWatermark())
                            .setLogStartOffset(partitionLog.logStartOffset());
                } catch (RuntimeException e) {
                    data.setErrorCode(Errors.forException(e).code());
                }
            }
        }
        return response;
    }

    private static int bytes(FetchResponseData response) {
        int total = 0;
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                if (partition.errorCode() != 0) {
                    // An error is worth answering at once.
                    return Integer.MAX_VALUE;
                }
                total += partition.records().sizeInBytes();
            }
        }
        return total;
    }
}
