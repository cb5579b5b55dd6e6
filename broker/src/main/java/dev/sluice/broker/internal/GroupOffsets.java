package dev.sluice.broker.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed offsets of every group: commits checked against the group's membership and generation, made
 * durable in the {@link GroupStore} before they are acknowledged; fetches; deletions; and Kafka's offset expiry.
 *
 * <p>Thread-safe: every operation holds the lock of the group it touches.
 */
final class GroupOffsets {
    private static final Logger LOG = LoggerFactory.getLogger(GroupOffsets.class);

    /** The answer to an OffsetDelete: a group-level error, or one error per partition. */
    record DeleteOffsetsResult(Errors error, Map<TopicPartition, Errors> partitions) {
    }

    private final GroupRegistry groups;
    private final GroupStore store;
    private final GroupSettings settings;
    private final Clock clock;
    private final GroupCoordinator sessions;
    private final CommittedOffsetsListener listener;

    /** {@code sessions} hears of members' commits, which count as signs of life like heartbeats. */
    GroupOffsets(GroupRegistry groups, GroupStore store, GroupSettings settings, Clock clock,
                 GroupCoordinator sessions) {
        this(groups, store, settings, clock, sessions, CommittedOffsetsListener.NONE);
    }

    /** {@code listener} hears of every offset committed or removed here (the lag gauges). */
    GroupOffsets(GroupRegistry groups, GroupStore store, GroupSettings settings, Clock clock,
                 GroupCoordinator sessions, CommittedOffsetsListener listener) {
        this.listener = listener;
        this.groups = groups;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.sessions = sessions;
    }

    /**
     * Commits offsets; completes once their records are durable. The in-memory offsets change when the records are
     * appended, under the group's lock, so they follow the log's order, and a group deleted meanwhile deletes them.
     */
    CompletableFuture<Map<TopicPartition, Errors>> commit(String groupId, int generation, String memberId,
                                                          String groupInstanceId,
                                                          Map<TopicPartition, CommittedOffset> offsets) {
        if (groupId == null) {
            return done(allErrors(offsets.keySet(), Errors.INVALID_GROUP_ID));
        }
        // Only a commit outside group management (generation -1: admin tools, assign() consumers) creates a group.
        return groups.withGroup(groupId, generation < 0, group -> {
            Errors error = validateCommit(group, generation, memberId, groupInstanceId);
            if (error == null && group.state() instanceof GroupState.CompletingRebalance) {
                // The member already has the new generation but not its assignment: it must finish the sync.
                error = Errors.REBALANCE_IN_PROGRESS;
            }
            if (error != null) {
                return done(allErrors(offsets.keySet(), error));
            }
            GroupMember member = memberId == null ? null : group.member(memberId);
            if (member != null) {
                sessions.memberActive(group, member);
            }
            List<GroupStore.Entry> records = new ArrayList<>();
            for (Map.Entry<TopicPartition, CommittedOffset> offset : offsets.entrySet()) {
                records.add(GroupStore.offset(groupId, offset.getKey(), offset.getValue()));
            }
            group.offsets().putAll(offsets);
            offsets.forEach((partition, offset) -> listener.committed(groupId, partition, offset.offset()));
            return store.write(records).handle((ignored, failure) ->
                    allErrors(offsets.keySet(), failure == null ? Errors.NONE : GroupStore.clientError(failure)));
        }, () -> done(allErrors(offsets.keySet(), Errors.ILLEGAL_GENERATION)));
    }

    private static Errors validateCommit(ClassicGroup group, int generation, String memberId,
                                         String groupInstanceId) {
        if (generation < 0 && group.state() instanceof GroupState.Empty) {
            return null;
        }
        if (generation >= 0 || memberId != null && !memberId.isEmpty() || groupInstanceId != null) {
            Errors error = group.checkMember(memberId, groupInstanceId);
            if (error != null) {
                return error;
            }
            return generation == group.generation() ? null : Errors.ILLEGAL_GENERATION;
        }
        // Outsiders may not move the offsets of an active group under its members.
        return Errors.UNKNOWN_MEMBER_ID;
    }

    /** The committed offsets of {@code partitions} (all of the group's when null); uncommitted ones are absent. */
    Map<TopicPartition, CommittedOffset> committed(String groupId, Collection<TopicPartition> partitions) {
        return groups.withGroup(groupId, false, group -> {
            if (partitions == null) {
                return Map.copyOf(group.offsets());
            }
            Map<TopicPartition, CommittedOffset> found = new HashMap<>();
            for (TopicPartition partition : partitions) {
                CommittedOffset offset = group.offsets().get(partition);
                if (offset != null) {
                    found.put(partition, offset);
                }
            }
            return found;
        }, Map::of);
    }

    /** Deletes committed offsets, except of topics an active consumer group subscribes to. */
    CompletableFuture<DeleteOffsetsResult> delete(String groupId, List<TopicPartition> partitions) {
        if (groupId == null || groupId.isEmpty()) {
            return done(new DeleteOffsetsResult(Errors.INVALID_GROUP_ID, Map.of()));
        }
        return groups.withGroup(groupId, false, group -> {
            Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
            List<TopicPartition> eligible = new ArrayList<>();
            if (group.state() instanceof GroupState.Empty) {
                eligible.addAll(partitions);
            } else if ("consumer".equals(group.protocolType())) {
                Set<String> subscribed = group.subscribedTopics();
                for (TopicPartition partition : partitions) {
                    if (subscribed == null || subscribed.contains(partition.topic())) {
                        errors.put(partition, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
                    } else {
                        eligible.add(partition);
                    }
                }
            } else {
                return done(new DeleteOffsetsResult(Errors.NON_EMPTY_GROUP, Map.of()));
            }
            List<GroupStore.Entry> tombstones = new ArrayList<>();
            for (TopicPartition partition : eligible) {
                if (group.offsets().remove(partition) != null) {
                    listener.removed(groupId, partition);
                    tombstones.add(GroupStore.offset(groupId, partition, null));
                }
            }
            return store.write(tombstones).handle((ignored, failure) -> {
                Map<TopicPartition, Errors> result = new LinkedHashMap<>(errors);
                for (TopicPartition partition : eligible) {
                    result.put(partition, failure == null ? Errors.NONE : GroupStore.clientError(failure));
                }
                return new DeleteOffsetsResult(Errors.NONE, result);
            });
        }, () -> done(new DeleteOffsetsResult(Errors.GROUP_ID_NOT_FOUND, Map.of())));
    }

    /**
     * Forgets every group's committed offsets of a deleted topic, as Kafka does, so a topic created again under the
     * same name does not inherit them.
     *
     * @return completes once the tombstones are durable
     */
    CompletableFuture<Void> topicDeleted(String topic) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        groups.forEach(group -> {
            List<GroupStore.Entry> tombstones = new ArrayList<>();
            group.offsets().keySet().removeIf(partition -> {
                if (partition.topic().equals(topic)) {
                    listener.removed(group.groupId(), partition);
                    tombstones.add(GroupStore.offset(group.groupId(), partition, null));
                    return true;
                }
                return false;
            });
            if (!tombstones.isEmpty()) {
                writes.add(store.write(tombstones));
            }
        });
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    /**
     * Expires offsets as Kafka does: those of an empty group once the retention has passed since it became empty,
     * those of a group that never had members (or of topics a stable group no longer subscribes to) once it has
     * passed since their commit; a commit's own retention time (v2-v4) overrides. An empty group left without
     * offsets is deleted.
     *
     * @return completes once the deletions are durable
     */
    CompletableFuture<Void> expire() {
        long now = clock.millis();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        try {
            groups.forEach(group -> writes.add(expire(group, now)));
        } catch (RuntimeException e) {
            // The next run tries again; the periodic task must not die.
            LOG.error("offset expiry failed", e);
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> expire(ClassicGroup group, long now) {
        List<GroupStore.Entry> tombstones = new ArrayList<>();
        for (TopicPartition partition : expiredOffsets(group, now)) {
            group.offsets().remove(partition);
            listener.removed(group.groupId(), partition);
            tombstones.add(GroupStore.offset(group.groupId(), partition, null));
        }
        if (group.state() instanceof GroupState.Empty && group.offsets().isEmpty() && !group.hasPendingMembers()) {
            tombstones.addAll(groups.kill(group));
        }
        if (tombstones.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        LOG.info("group {}: {} offsets expired{}", group.groupId(), tombstones.size() - (group.isDead() ? 1 : 0),
                group.isDead() ? ", group deleted" : "");
        return store.write(tombstones).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("cannot record expired offsets of group {}", group.groupId(), failure);
            }
        });
    }

    private List<TopicPartition> expiredOffsets(ClassicGroup group, long now) {
        Set<String> kept = Set.of();
        ToLongFunction<CommittedOffset> since;
        if (group.protocolType() == null) {
            since = CommittedOffset::commitTimestampMs;
        } else if (group.state() instanceof GroupState.Empty(long emptySince)) {
            since = offset -> emptySince;
        } else if (group.state() instanceof GroupState.Stable && group.subscribedTopics() != null) {
            kept = group.subscribedTopics();
            since = CommittedOffset::commitTimestampMs;
        } else {
            return List.of();
        }
        List<TopicPartition> expired = new ArrayList<>();
        for (Map.Entry<TopicPartition, CommittedOffset> entry : group.offsets().entrySet()) {
            CommittedOffset offset = entry.getValue();
            boolean gone = offset.expireTimestampMs() >= 0 ? now >= offset.expireTimestampMs()
                    : now - since.applyAsLong(offset) >= settings.offsetsRetentionMs();
            if (gone && !kept.contains(entry.getKey().topic())) {
                expired.add(entry.getKey());
            }
        }
        return expired;
    }

    private static Map<TopicPartition, Errors> allErrors(Collection<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        for (TopicPartition partition : partitions) {
            errors.put(partition, error);
        }
        return errors;
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
