package dev.sluice.broker.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * One consumer group of the classic protocol: its state, generation, chosen protocol, leader, members (static ones
 * also by {@code group.instance.id}), the members still to send their second JoinGroup or their SyncGroup, and its
 * committed offsets. The coordinator drives it; this class keeps its bookkeeping consistent.
 *
 * <p>Not thread-safe: every access holds the group's monitor ({@code synchronized (group)}).
 */
final class ClassicGroup {
    private final String groupId;
    private final Map<String, GroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> pendingMembers = new HashMap<>();
    private final Set<String> pendingSync = new HashSet<>();
    private final Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
    private GroupState state;
    private int generation;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    /** A member joined while the initial delay ran, so the delay may be extended once more. */
    private boolean newMemberAdded;
    private ScheduledFuture<?> timer;
    /** Fences timer tasks: one armed for an earlier round finds a different number and does nothing. */
    private int round;

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.state = new GroupState.Empty(nowMs);
    }

    String groupId() {
        return groupId;
    }

    GroupState state() {
        return state;
    }

    boolean isDead() {
        return state instanceof GroupState.Dead;
    }

    void transitionTo(GroupState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("group " + groupId + " cannot move from " + state.protocolName() + " to "
                    + next.protocolName());
        }
        state = next;
    }

    int generation() {
        return generation;
    }

    /** The protocol type of the members (e.g. "consumer"), or null while the group never had a member. */
    String protocolType() {
        return protocolType;
    }

    /** The protocol (assignor) chosen for the current generation, or null. */
    String protocolName() {
        return protocolName;
    }

    String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    boolean has(String memberId) {
        return members.containsKey(memberId);
    }

    GroupMember member(String memberId) {
        return members.get(memberId);
    }

    Collection<GroupMember> members() {
        return members.values();
    }

    /** The member id currently holding {@code groupInstanceId}, or null. */
    String staticMemberId(String groupInstanceId) {
        return staticMembers.get(groupInstanceId);
    }

    void add(GroupMember member) {
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        members.put(member.memberId(), member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
    }

    /** Removes a member; a leaving leader hands over to the oldest remaining member. */
    GroupMember remove(String memberId) {
        GroupMember member = members.remove(memberId);
        if (member != null && member.isStatic()) {
            staticMembers.remove(member.groupInstanceId(), memberId);
        }
        if (isLeader(memberId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        pendingSync.remove(memberId);
        return member;
    }

    /** Puts {@code replacement} (a static member's new incarnation) where the member {@code oldMemberId} was. */
    void replaceStatic(String oldMemberId, GroupMember replacement) {
        members.remove(oldMemberId);
        members.put(replacement.memberId(), replacement);
        staticMembers.put(replacement.groupInstanceId(), replacement.memberId());
        if (isLeader(oldMemberId)) {
            leaderId = replacement.memberId();
        }
        if (pendingSync.remove(oldMemberId)) {
            pendingSync.add(replacement.memberId());
        }
    }

    /**
     * Checks that a requester is a current member, or returns the error it gets: a static instance must come with
     * the member id it holds now (an older id belongs to a fenced zombie), a dynamic member with an id the group knows.
     */
    Errors checkMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = staticMembers.get(groupInstanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            return current.equals(memberId) ? null : Errors.FENCED_INSTANCE_ID;
        }
        return memberId != null && members.containsKey(memberId) ? null : Errors.UNKNOWN_MEMBER_ID;
    }

    /** Whether a member with these protocols may join: same type as the group, and a protocol all members share. */
    boolean supportsProtocols(String memberProtocolType, List<GroupMember.Protocol> protocols) {
        if (state instanceof GroupState.Empty) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !protocols.isEmpty();
        }
        if (!Objects.equals(protocolType, memberProtocolType)) {
            return false;
        }
        for (GroupMember.Protocol protocol : protocols) {
            if (members.values().stream().allMatch(m -> m.supports(protocol.name()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The protocol for the next generation: among those every member supports, the one most members name first
     * (each member votes for its most preferred candidate); ties go to the earliest voter's choice.
     */
    String selectProtocol() {
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (GroupMember member : members.values()) {
            for (GroupMember.Protocol protocol : member.protocols()) {
                if (members.values().stream().allMatch(m -> m.supports(protocol.name()))) {
                    votes.merge(protocol.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int most = 0;
        for (Map.Entry<String, Integer> vote : votes.entrySet()) {
            if (vote.getValue() > most) {
                best = vote.getKey();
                most = vote.getValue();
            }
        }
        return best;
    }

    /** The longest rebalance timeout of the members: how long a rebalance waits for them. */
    int rebalanceTimeoutMs() {
        int max = 0;
        for (GroupMember member : members.values()) {
            max = Math.max(max, member.rebalanceTimeoutMs());
        }
        return max;
    }

    boolean hasAllMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(GroupMember::isAwaitingJoin);
    }

    List<GroupMember> notYetRejoined() {
        return members.values().stream().filter(m -> !m.isAwaitingJoin()).toList();
    }

    /** Keeps the leader if it rejoined, else promotes a member that did; false when none did. */
    boolean electJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        if (members.get(leaderId).isAwaitingJoin()) {
            return true;
        }
        for (GroupMember member : members.values()) {
            if (member.isAwaitingJoin()) {
                leaderId = member.memberId();
                return true;
            }
        }
        return false;
    }

    /** Starts the next generation: CompletingRebalance with the chosen protocol, or Empty if nobody is left. */
    void initNextGeneration(long nowMs) {
        generation++;
        if (members.isEmpty()) {
            protocolName = null;
            transitionTo(new GroupState.Empty(nowMs));
        } else {
            protocolName = selectProtocol();
            transitionTo(new GroupState.CompletingRebalance());
        }
        pendingSync.clear();
    }

    boolean isPending(String memberId) {
        return pendingMembers.containsKey(memberId);
    }

    boolean hasPendingMembers() {
        return !pendingMembers.isEmpty();
    }

    void addPending(String memberId, ScheduledFuture<?> expiry) {
        pendingMembers.put(memberId, expiry);
    }

    /** Forgets a member id handed out by MEMBER_ID_REQUIRED; returns whether it was pending. */
    boolean removePending(String memberId) {
        if (!pendingMembers.containsKey(memberId)) {
            return false;
        }
        ScheduledFuture<?> expiry = pendingMembers.remove(memberId);
        if (expiry != null) {
            expiry.cancel(false);
        }
        return true;
    }

    Set<String> pendingSync() {
        return pendingSync;
    }

    /**
     * Topics the members subscribe to, read from their consumer-protocol metadata; null when unknown (not a consumer
     * group, or metadata that does not parse), which callers treat as "maybe any topic".
     */
    Set<String> subscribedTopics() {
        if (!"consumer".equals(protocolType) || protocolName == null) {
            return null;
        }
        Set<String> topics = new HashSet<>();
        for (GroupMember member : members.values()) {
            byte[] metadata = member.metadata(protocolName);
            if (metadata == null) {
                return null;
            }
            try {
                topics.addAll(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata)).topics());
            } catch (RuntimeException e) {
                return null;
            }
        }
        return topics;
    }

    Map<TopicPartition, CommittedOffset> offsets() {
        return offsets;
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void newMemberAdded(boolean value) {
        this.newMemberAdded = value;
    }

    /** Cancels the armed join or sync timer, if any, and starts a new round. */
    int nextRound() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        return ++round;
    }

    boolean isRound(int value) {
        return round == value;
    }

    void timer(ScheduledFuture<?> value) {
        this.timer = value;
    }

    /** Restores the group as it was recorded: Stable with its members, or Empty. */
    void restore(int restoredGeneration, String restoredProtocolType, String restoredProtocolName,
                 String restoredLeader, long stateTimestampMs, List<GroupMember> restoredMembers) {
        members.clear();
        staticMembers.clear();
        generation = restoredGeneration;
        protocolType = restoredProtocolType;
        leaderId = null;
        for (GroupMember member : restoredMembers) {
            add(member);
        }
        if (restoredLeader != null && members.containsKey(restoredLeader)) {
            leaderId = restoredLeader;
        }
        if (members.isEmpty()) {
            protocolName = null;
            state = new GroupState.Empty(stateTimestampMs);
        } else {
            protocolName = restoredProtocolName;
            state = new GroupState.Stable();
        }
    }

    /** Members and their metadata for the chosen protocol, as the leader gets them to compute the assignment. */
    List<GroupCoordinator.JoinedMember> joinedMembers() {
        List<GroupCoordinator.JoinedMember> joined = new ArrayList<>();
        for (GroupMember member : members.values()) {
            byte[] metadata = member.metadata(protocolName);
            joined.add(new GroupCoordinator.JoinedMember(member.memberId(), member.groupInstanceId(),
                    metadata == null ? new byte[0] : metadata));
        }
        return joined;
    }
}
