package dev.sluice.broker.internal;

import dev.sluice.log.PartitionLog;
import dev.sluice.pipelines.PipelineChain;
import dev.sluice.log.ReadResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
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
 *
 * <p>From version 7 a client may open a fetch session (KIP-227, see {@link FetchSessions}): after the first, full
 * fetch of a session, a fetch names only the partitions whose position changed, the rest are implied, and the
 * response carries only partitions with records, an error, or a new high watermark or log start offset. Without a
 * session (epoch -1, versions before 7, or a full cache) every fetch is a full fetch and every response names every
 * partition. Needs READ on each topic; a topic without it is answered at once with TOPIC_AUTHORIZATION_FAILED.
 *
 * <p>The response sent (not the reads a long poll discards) counts in its topics' bytes-out and records-out meters;
 * records out are the offsets each slice covers from the fetch offset on, which the log knows without reading the
 * batches (exact unless {@code max_bytes} cut a slice short, see {@link dev.sluice.log.ReadResult#nextOffset()}).
 */
final class FetchHandler implements ApiHandler<FetchRequestData> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FetchHandler.class);
    private static final int INITIAL_EPOCH = 0;
    private static final int FINAL_EPOCH = -1;

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

    /** One partition to read: how the request names it, where to read from, and its session entry if any. */
    private record Wanted(FetchSessions.Key key, long fetchOffset, int maxBytes, FetchSessions.Cached cached) {
    }

    /**
     * What one fetch reads: its partitions in order and, with a session, whether the response is incremental.
     * {@code session} is null for a fetch without a session.
     */
    private record Plan(List<Wanted> partitions, FetchSessions.Session session, boolean incremental) {
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, FetchRequestData request) {
        CompletableFuture<ApiMessage> result = new CompletableFuture<>();
        Plan plan;
        try {
            plan = plan(context, request);
        } catch (SessionError e) {
            result.complete(new FetchResponseData().setErrorCode(e.error.code()).setSessionId(0));
            return result;
        }
        Set<String> unreadable = unreadable(context, plan);
        FetchResponseData first = read(context, request, plan, unreadable);
        if (first.errorCode() != 0 || request.maxWaitMs() <= 0 || bytes(first) >= Math.max(1, request.minBytes())) {
            complete(result, plan, first);
            return result;
        }
        List<TopicPartition> partitions = partitions(plan, unreadable);
        if (partitions.isEmpty()) {
            complete(result, plan, first);
            return result;
        }
        // Long poll: answer on new data or at the deadline, whichever is first.
        Runnable[] cancel = new Runnable[1];
        ScheduledFuture<?> deadline = broker.timer().schedule(() -> {
            cancel[0].run();
            complete(result, plan, read(context, request, plan, unreadable));
        }, request.maxWaitMs(), TimeUnit.MILLISECONDS);
        cancel[0] = broker.waiters().await(partitions, () -> {
            FetchResponseData again = read(context, request, plan, unreadable);
            if (bytes(again) >= Math.max(1, request.minBytes())
                    || !retry(context, request, plan, unreadable, result, deadline)) {
                deadline.cancel(false);
                complete(result, plan, again);
            }
        });
        // Data may have arrived between the first read and registering.
        FetchResponseData raced = read(context, request, plan, unreadable);
        if (bytes(raced) >= Math.max(1, request.minBytes())) {
            cancel[0].run();
            deadline.cancel(false);
            complete(result, plan, raced);
        }
        return result;
    }

    /**
     * Completes the fetch once: the deadline and a wake-up may race, and only the response actually sent may update
     * what the session remembers having told the client, and count in the topics' meters.
     */
    private void complete(CompletableFuture<ApiMessage> result, Plan plan, FetchResponseData response) {
        if (plan.session() == null) {
            if (result.complete(response)) {
                countSent(response);
            }
            return;
        }
        synchronized (plan) {
            if (!result.isDone()) {
                FetchResponseData sent = finish(plan, response);
                result.complete(sent);
                countSent(sent);
            }
        }
    }

    /** Adds a response's records to the bytes-out and records-out meters of their topics. */
    private void countSent(FetchResponseData response) {
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            long bytes = 0;
            long offsets = 0;
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                if (partition.records() instanceof SliceRecords records) {
                    bytes += records.sizeInBytes();
                    offsets += records.offsets();
                }
            }
            if (bytes == 0) {
                continue;
            }
            String name = !topic.topic().isEmpty() ? topic.topic()
                    : broker.topics().topic(topic.topicId()).map(TopicRegistry.Topic::name).orElse(null);
            if (name != null) {
                BrokerMetrics.TopicMeters meters = broker.metrics().topic(name);
                meters.bytesOut().increment(bytes);
                meters.recordsOut().increment(offsets);
            }
        }
    }

    /** Waits again after a wake-up that did not bring enough bytes; false if the deadline already passed. */
    private boolean retry(RequestContext context, FetchRequestData request, Plan plan, Set<String> unreadable,
                          CompletableFuture<ApiMessage> result, ScheduledFuture<?> deadline) {
        if (deadline.isDone() || result.isDone()) {
            return false;
        }
        broker.waiters().await(partitions(plan, unreadable), () -> {
            FetchResponseData again = read(context, request, plan, unreadable);
            if (bytes(again) >= Math.max(1, request.minBytes())
                    || !retry(context, request, plan, unreadable, result, deadline)) {
                deadline.cancel(false);
                complete(result, plan, again);
            }
        });
        return true;
    }

    /** A fetch that names a session it cannot use; answered with a top-level error and nothing else. */
    private static final class SessionError extends Exception {
        private final Errors error;

        SessionError(Errors error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    /** Decides the fetch's partitions: from the request alone, or from the session the request opens or updates. */
    private Plan plan(RequestContext context, FetchRequestData request) throws SessionError {
        boolean topicIds = context.apiVersion() >= 13;
        FetchSessions sessions = broker.fetchSessions();
        if (context.apiVersion() < 7 || request.sessionEpoch() == FINAL_EPOCH) {
            if (context.apiVersion() >= 7 && request.sessionId() != 0) {
                sessions.remove(request.sessionId());
            }
            return new Plan(requested(request, topicIds, null), null, false);
        }
        if (request.sessionEpoch() == INITIAL_EPOCH) {
            if (request.sessionId() != 0) {
                sessions.remove(request.sessionId());
            }
            FetchSessions.Session session = sessions.create(topicIds);
            if (session == null) {
                return new Plan(requested(request, topicIds, null), null, false);
            }
            synchronized (session) {
                return new Plan(requested(request, topicIds, session), session, false);
            }
        }
        FetchSessions.Session session = sessions.get(request.sessionId());
        if (session == null) {
            throw new SessionError(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        synchronized (session) {
            if (session.nextEpoch() != request.sessionEpoch()) {
                throw new SessionError(Errors.INVALID_FETCH_SESSION_EPOCH);
            }
            if (session.topicIds() != topicIds) {
                throw new SessionError(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
            }
            session.advanceEpoch();
            for (FetchRequestData.FetchTopic topic : request.topics()) {
                for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                    session.put(key(topic, partition.partition(), topicIds), partition.fetchOffset(),
                            partition.partitionMaxBytes());
                }
            }
            for (FetchRequestData.ForgottenTopic forgotten : request.forgottenTopicsData()) {
                for (int partition : forgotten.partitions()) {
                    session.forget(topicIds ? new FetchSessions.Key(forgotten.topicId(), null, partition)
                            : new FetchSessions.Key(null, forgotten.topic(), partition));
                }
            }
            List<Wanted> wanted = new ArrayList<>(session.partitions().size());
            session.partitions().forEach((key, cached) ->
                    wanted.add(new Wanted(key, cached.fetchOffset, cached.maxBytes, cached)));
            return new Plan(wanted, session, true);
        }
    }

    /** The request's partitions in order, entered into the new session if there is one. */
    private static List<Wanted> requested(FetchRequestData request, boolean topicIds, FetchSessions.Session session) {
        List<Wanted> wanted = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                FetchSessions.Key key = key(topic, partition.partition(), topicIds);
                FetchSessions.Cached cached = null;
                if (session != null) {
                    session.put(key, partition.fetchOffset(), partition.partitionMaxBytes());
                    cached = session.partitions().get(key);
                }
                wanted.add(new Wanted(key, partition.fetchOffset(), partition.partitionMaxBytes(), cached));
            }
        }
        return wanted;
    }

    private static FetchSessions.Key key(FetchRequestData.FetchTopic topic, int partition, boolean topicIds) {
        return topicIds ? new FetchSessions.Key(topic.topicId(), null, partition)
                : new FetchSessions.Key(null, topic.topic(), partition);
    }

    /**
     * The response as sent: with a session, its id, and for an incremental fetch only the partitions with something
     * new; the session remembers what each partition's client was told.
     */
    private static FetchResponseData finish(Plan plan, FetchResponseData response) {
        FetchSessions.Session session = plan.session();
        if (session == null || response.errorCode() != 0) {
            return response;
        }
        response.setSessionId(session.id());
        synchronized (session) {
            List<FetchSessions.Key> answered = new ArrayList<>();
            Iterator<Wanted> wanted = plan.partitions().iterator();
            Iterator<FetchResponseData.FetchableTopicResponse> topics = response.responses().iterator();
            while (topics.hasNext()) {
                FetchResponseData.FetchableTopicResponse topic = topics.next();
                Iterator<FetchResponseData.PartitionData> partitions = topic.partitions().iterator();
                while (partitions.hasNext()) {
                    FetchResponseData.PartitionData data = partitions.next();
                    Wanted partition = wanted.next();
                    FetchSessions.Cached cached = partition.cached();
                    boolean news = data.errorCode() != 0 || data.records().sizeInBytes() > 0
                            || data.highWatermark() != cached.sentHighWatermark
                            || data.logStartOffset() != cached.sentLogStartOffset;
                    cached.sentHighWatermark = data.highWatermark();
                    cached.sentLogStartOffset = data.logStartOffset();
                    if (plan.incremental()) {
                        if (news) {
                            answered.add(partition.key());
                        } else {
                            partitions.remove();
                        }
                    }
                }
                if (topic.partitions().isEmpty()) {
                    topics.remove();
                }
            }
            session.rotateToEnd(answered);
        }
        return response;
    }

    /** The topics of the fetch the principal may not READ, decided once per request; empty without auth. */
    private Set<String> unreadable(RequestContext context, Plan plan) {
        if (!context.authorizer().enforcing()) {
            return Set.of();
        }
        Set<String> unreadable = new HashSet<>();
        for (Wanted partition : plan.partitions()) {
            topicName(partition.key()).filter(name -> !unreadable.contains(name)
                            && !context.allowed(AclOperation.READ, ResourceType.TOPIC, name))
                    .ifPresent(unreadable::add);
        }
        return unreadable;
    }

    private List<TopicPartition> partitions(Plan plan, Set<String> unreadable) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Wanted partition : plan.partitions()) {
            Optional<String> name = topicName(partition.key());
            if (name.isPresent() && !unreadable.contains(name.get())) {
                partitions.add(new TopicPartition(name.get(), partition.key().partition()));
            }
        }
        return partitions;
    }

    private Optional<String> topicName(FetchSessions.Key key) {
        if (key.topicId() != null) {
            return broker.topics().topic(key.topicId()).map(TopicRegistry.Topic::name);
        }
        return broker.topics().topic(key.topic()).map(TopicRegistry.Topic::name);
    }

    private FetchResponseData read(RequestContext context, FetchRequestData request, Plan plan,
                                   Set<String> unreadable) {
        FetchResponseData response = new FetchResponseData().setSessionId(0);
        BrokerPipelines pipelines = broker.pipelines();
        int remaining = request.maxBytes() > 0 ? request.maxBytes() : Integer.MAX_VALUE;
        boolean readCommitted = request.isolationLevel() == 1;
        FetchResponseData.FetchableTopicResponse topicResponse = null;
        for (Wanted partition : plan.partitions()) {
            FetchSessions.Key key = partition.key();
            // Consecutive partitions of one topic share its entry; versions 13 and later name topics by id only.
            if (topicResponse == null || !Objects.equals(topicResponse.topicId(), key.topicId() == null
                    ? Uuid.ZERO_UUID : key.topicId()) || !topicResponse.topic().equals(key.topic() == null
                    ? "" : key.topic())) {
                topicResponse = new FetchResponseData.FetchableTopicResponse()
                        .setTopic(key.topic() == null ? "" : key.topic())
                        .setTopicId(key.topicId() == null ? Uuid.ZERO_UUID : key.topicId());
                response.responses().add(topicResponse);
            }
            Optional<String> name = topicName(key);
            FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
                    .setPartitionIndex(key.partition())
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
            if (name.isPresent()) {
                // Not a bound method reference: that would allocate for every partition of every fetch.
                context.session().fetched(name.get());
            }
            Optional<PartitionLog> log = name.flatMap(n -> broker.log(n, key.partition()));
            if (log.isEmpty()) {
                data.setErrorCode(name.isEmpty() && key.topicId() != null
                        ? Errors.UNKNOWN_TOPIC_ID.code() : Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                continue;
            }
            PartitionLog partitionLog = log.get();
            try {
                int max = Math.min(partition.maxBytes(), remaining);
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
                    PipelineChain chain = pipelines.consumeChain(name.get(), context.clientId());
                    if (chain == null) {
                        data.setRecords(new SliceRecords(read.records(),
                                Math.max(0, read.nextOffset() - partition.fetchOffset())));
                    } else {
                        data.setRecords(throughPipelines(chain, context, partitionLog, read));
                    }
                    remaining -= read.records().size();
                }
            } catch (OffsetOutOfRangeException e) {
                data.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code())
                        .setHighWatermark(partitionLog.highWatermark())
                        .setLastStableOffset(partitionLog.highWatermark())
                        .setLogStartOffset(partitionLog.logStartOffset());
            } catch (java.io.IOException e) {
                data.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
            } catch (RuntimeException e) {
                data.setErrorCode(Errors.forException(e).code());
            }
        }
        return response;
    }

    /**
     * A consuming audience's pipelines: the read batches come through the heap, are run and re-encoded (offsets kept,
     * removed records leave gaps), instead of going out zero-copy. Dead letters are written best effort: a consumer
     * that reads the same offsets again writes them again.
     */
    private MemoryRecords throughPipelines(PipelineChain chain, RequestContext context, PartitionLog log,
                                           ReadResult read) throws java.io.IOException {
        TopicPartition tp = log.topicPartition();
        RecordPipelines.Outcome outcome = RecordPipelines.run(chain, tp.topic(), tp.partition(),
                MemoryRecords.readableRecords(read.records().read()),
                broker.tailSamples().sampler(chain, tp.topic(), dev.sluice.pipelines.AudienceSpec.CONSUME));
        broker.metrics().pipeline(chain.audience()).add(outcome);
        broker.tailSamples().write(chain, tp.topic(), tp.partition(), context.clientId(), outcome);
        for (RecordPipelines.DeadLetter dead : outcome.deadLetters()) {
            broker.sideTopics().append(dead.topic(), dead.key(), dead.value(), dead.headers(), dead.timestamp())
                    .whenComplete((offset, failure) -> {
                        if (failure != null) {
                            LOG.warn("dead letter from {} for client {} not written: {}", tp, context.clientId(),
                                    failure.toString());
                        }
                    });
        }
        for (dev.sluice.pipelines.Notification notification : outcome.notifications()) {
            broker.notifier().publish(notification, context.clientId(), tp.topic(), tp.partition());
        }
        return MemoryRecords.readableRecords(outcome.batches());
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
