package dev.sluice.broker.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every consumer group on this broker by id, rebuilt from the {@link GroupStore} at start: lookups that hold the
 * group's lock, group records for the store, and the group-level APIs (list, describe, delete).
 *
 * <p>Thread-safe: the map is concurrent, and a group is only read or changed holding its monitor.
 */
final class GroupRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(GroupRegistry.class);

    /** A group as DescribeGroups shows it. */
    record GroupSummary(String groupId, String state, String protocolType, String protocolName,
                        List<MemberSummary> members) {
    }

    /** A member as DescribeGroups shows it; metadata and assignment are empty unless the group is stable. */
    record MemberSummary(String memberId, String groupInstanceId, String clientId, String clientHost,
                         byte[] metadata, byte[] assignment) {
    }

    /** A group as ListGroups shows it. */
    record GroupOverview(String groupId, String protocolType, String state) {
    }

    private final GroupStore store;
    private final Clock clock;
    private final Map<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private final CommittedOffsetsListener listener;

    GroupRegistry(GroupStore store, Clock clock) {
        this(store, clock, CommittedOffsetsListener.NONE);
    }

    /** {@code listener} hears of the offsets loaded and of those a deleted group takes with it. */
    GroupRegistry(GroupStore store, Clock clock, CommittedOffsetsListener listener) {
        this.store = store;
        this.clock = clock;
        this.listener = listener;
    }

    /** Replays the store: every group comes back as last recorded (stable with its members, or empty). */
    void load() {
        store.replay(new GroupStore.Replay() {
            @Override
            public void offset(String groupId, TopicPartition partition, CommittedOffset offset) {
                if (offset != null) {
                    replayed(groupId).offsets().put(partition, offset);
                } else if (groups.containsKey(groupId)) {
                    groups.get(groupId).offsets().remove(partition);
                }
            }

            @Override
            public void group(String groupId, GroupStore.StoredGroup stored) {
                if (stored == null) {
                    groups.remove(groupId);
                } else {
                    restore(replayed(groupId), stored);
                }
            }
        });
        if (!groups.isEmpty()) {
            LOG.info("loaded {} consumer groups from {}", groups.size(), GroupStore.TOPIC);
        }
        forEach(group -> group.offsets().forEach((partition, offset) ->
                listener.committed(group.groupId(), partition, offset.offset())));
    }

    private ClassicGroup replayed(String groupId) {
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, clock.millis()));
    }

    private static void restore(ClassicGroup group, GroupStore.StoredGroup stored) {
        List<GroupMember> members = new ArrayList<>();
        for (GroupStore.StoredMember m : stored.members()) {
            GroupMember member = new GroupMember(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                    stored.protocolType(), m.rebalanceTimeoutMs(), m.sessionTimeoutMs(),
                    List.of(new GroupMember.Protocol(stored.protocolName(), m.subscription())));
            member.assignment(m.assignment());
            members.add(member);
        }
        group.restore(stored.generation(), stored.protocolType(), stored.protocolName(), stored.leader(),
                stored.stateTimestampMs(), members);
    }

    /**
     * Runs {@code action} holding the group's lock, creating the group if asked to; {@code missing} answers when
     * there is no such group. A group found dead once its lock is held was deleted meanwhile, so the lookup starts
     * over (and may create a new group with that id).
     */
    <T> T withGroup(String groupId, boolean create, Function<ClassicGroup, T> action, Supplier<T> missing) {
        while (true) {
            ClassicGroup group = create
                    ? groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, clock.millis()))
                    : groups.get(groupId);
            if (group == null) {
                return missing.get();
            }
            synchronized (group) {
                if (!group.isDead()) {
                    return action.apply(group);
                }
            }
            groups.remove(groupId, group);
        }
    }

    /** Runs {@code action} on every live group, holding its lock. */
    void forEach(Consumer<ClassicGroup> action) {
        for (ClassicGroup group : groups.values()) {
            synchronized (group) {
                if (!group.isDead()) {
                    action.accept(group);
                }
            }
        }
    }

    List<GroupOverview> list() {
        List<GroupOverview> all = new ArrayList<>();
        forEach(group -> all.add(new GroupOverview(group.groupId(),
                Objects.requireNonNullElse(group.protocolType(), ""), group.state().protocolName())));
        all.sort(Comparator.comparing(GroupOverview::groupId));
        return all;
    }

    /** The group's state and members, or null when there is no such group. */
    GroupSummary describe(String groupId) {
        return withGroup(groupId, false, group -> {
            boolean stable = group.state() instanceof GroupState.Stable;
            List<MemberSummary> members = new ArrayList<>();
            for (GroupMember member : group.members()) {
                byte[] metadata = stable ? member.metadata(group.protocolName()) : null;
                members.add(new MemberSummary(member.memberId(), member.groupInstanceId(), member.clientId(),
                        member.clientHost(), metadata == null ? new byte[0] : metadata,
                        stable ? member.assignment() : new byte[0]));
            }
            return new GroupSummary(group.groupId(), group.state().protocolName(),
                    Objects.requireNonNullElse(group.protocolType(), ""),
                    stable ? group.protocolName() : "", members);
        }, () -> null);
    }

    /** Deletes an empty group and its offsets; completes once the deletion is durable. */
    CompletableFuture<Errors> delete(String groupId) {
        if (groupId == null) {
            return CompletableFuture.completedFuture(Errors.INVALID_GROUP_ID);
        }
        return withGroup(groupId, false, group -> {
            if (!(group.state() instanceof GroupState.Empty)) {
                return CompletableFuture.completedFuture(Errors.NON_EMPTY_GROUP);
            }
            return store.write(kill(group)).handle((ignored, failure) ->
                    failure == null ? Errors.NONE : GroupStore.clientError(failure));
        }, () -> CompletableFuture.completedFuture(Errors.GROUP_ID_NOT_FOUND));
    }

    /** Marks a locked group dead and forgets it; returns the tombstones that delete it from the store. */
    List<GroupStore.Entry> kill(ClassicGroup group) {
        group.transitionTo(new GroupState.Dead());
        group.nextRound();
        groups.remove(group.groupId(), group);
        List<GroupStore.Entry> tombstones = new ArrayList<>();
        for (TopicPartition partition : group.offsets().keySet()) {
            listener.removed(group.groupId(), partition);
            tombstones.add(GroupStore.offset(group.groupId(), partition, null));
        }
        // Offsets first: a replay that sees the group's tombstone has seen its offsets go.
        tombstones.add(GroupStore.group(group.groupId(), null));
        group.offsets().clear();
        return tombstones;
    }

    /**
     * The record of a locked group's membership, with {@code assignments} (by member id) instead of the members'
     * current ones when given.
     */
    GroupStore.Entry record(ClassicGroup group, Map<String, byte[]> assignments) {
        List<GroupStore.StoredMember> members = new ArrayList<>();
        for (GroupMember member : group.members()) {
            byte[] assignment = assignments == null ? member.assignment() : assignments.get(member.memberId());
            members.add(new GroupStore.StoredMember(member.memberId(), member.groupInstanceId(), member.clientId(),
                    member.clientHost(), member.rebalanceTimeoutMs(), member.sessionTimeoutMs(),
                    Objects.requireNonNullElse(member.metadata(group.protocolName()), new byte[0]),
                    Objects.requireNonNullElse(assignment, new byte[0])));
        }
        long stateTimestamp = group.state() instanceof GroupState.Empty(long since) ? since : clock.millis();
        return GroupStore.group(group.groupId(), new GroupStore.StoredGroup(group.protocolType(), group.generation(),
                group.protocolName(), group.leaderId(), stateTimestamp, members));
    }

    /** Records a locked group's membership without waiting: nothing depends on it being durable. */
    void recordQuietly(ClassicGroup group) {
        // If it is lost, the previous generation comes back at restart, and its members expire.
        store.write(List.of(record(group, null))).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("cannot record group {}", group.groupId(), failure);
            }
        });
    }
}
