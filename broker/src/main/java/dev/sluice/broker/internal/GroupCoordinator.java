package dev.sluice.broker.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator of the classic consumer-group protocol: it runs the rebalance state machine
 * ({@link GroupState}) of every {@link ClassicGroup} through JoinGroup, SyncGroup, Heartbeat and LeaveGroup, and
 * expires members whose session runs out. The broker relays the members' protocol metadata and the leader's
 * assignment without reading them, so every client-side assignor works. Committed offsets are {@link GroupOffsets}'.
 *
 * <p>Thread-safe. Each group is guarded by its own monitor, so requests for different groups never wait for each
 * other. Nothing blocks: a JoinGroup waiting for the rebalance and a SyncGroup waiting for the leader's assignment
 * are futures completed later; timers and the continuations of durable writes run on the scheduler's thread.
 */
final class GroupCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

    /** How long a new member's JoinGroup may wait: its client may have given up and will join again. */
    static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

    /**
     * A JoinGroup, as the coordinator needs it.
     *
     * @param requireKnownMemberId      v4+: a new dynamic member first gets its id with MEMBER_ID_REQUIRED
     * @param supportSkippingAssignment v9+: a restarted static leader may be told to skip computing an assignment
     */
    record JoinRequest(String groupId, String memberId, String groupInstanceId, boolean requireKnownMemberId,
                       boolean supportSkippingAssignment, String clientId, String clientHost, int rebalanceTimeoutMs,
                       int sessionTimeoutMs, String protocolType, List<GroupMember.Protocol> protocols) {
    }

    /** A member and its metadata for the chosen protocol, as the leader gets them. */
    record JoinedMember(String memberId, String groupInstanceId, byte[] metadata) {
    }

    /** The answer to a JoinGroup; {@code members} is empty except for the leader. */
    record JoinResult(Errors error, String memberId, int generationId, String protocolType, String protocolName,
                      String leaderId, boolean skipAssignment, List<JoinedMember> members) {
        static JoinResult failed(String memberId, Errors error) {
            return new JoinResult(error, memberId, -1, null, null, "", false, List.of());
        }
    }

    /** The answer to a SyncGroup: the member's assignment. */
    record SyncResult(Errors error, String protocolType, String protocolName, byte[] assignment) {
        static SyncResult failed(Errors error) {
            return new SyncResult(error, null, null, new byte[0]);
        }
    }

    /** A member named in a LeaveGroup: by member id, or by instance id alone (an admin removing a static member). */
    record LeavingMember(String memberId, String groupInstanceId) {
    }

    /** The answer to a LeaveGroup: a group-level error and one error per leaving member. */
    record LeaveResult(Errors error, List<Errors> memberErrors) {
    }

    private final GroupRegistry groups;
    private final GroupStore store;
    private final GroupSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    GroupCoordinator(GroupRegistry groups, GroupStore store, GroupSettings settings, Clock clock,
                     ScheduledExecutorService scheduler) {
        this.groups = groups;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** Starts the session timers of the members the registry restored: they must heartbeat within a session. */
    void startSessions() {
        groups.forEach(group -> group.members().forEach(member -> touch(group, member, member.sessionTimeoutMs())));
    }

    /** A member showed it is alive other than by heartbeat (an offset commit). */
    void memberActive(ClassicGroup group, GroupMember member) {
        touch(group, member, member.sessionTimeoutMs());
    }

    // ---- JoinGroup ----

    CompletableFuture<JoinResult> join(JoinRequest request) {
        if (isBlank(request.groupId())) {
            return done(JoinResult.failed(request.memberId(), Errors.INVALID_GROUP_ID));
        }
        if (request.sessionTimeoutMs() < settings.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > settings.maxSessionTimeoutMs()) {
            return done(JoinResult.failed(request.memberId(), Errors.INVALID_SESSION_TIMEOUT));
        }
        boolean newMember = request.memberId().isEmpty();
        return groups.withGroup(request.groupId(), newMember, group -> {
            CompletableFuture<JoinResult> result = newMember ? joinNewMember(group, request)
                    : joinKnownMember(group, request);
            tryCompleteJoin(group);
            return result;
        }, () -> done(JoinResult.failed(request.memberId(), Errors.UNKNOWN_MEMBER_ID)));
    }

    private CompletableFuture<JoinResult> joinNewMember(ClassicGroup group, JoinRequest request) {
        if (!group.supportsProtocols(request.protocolType(), request.protocols())) {
            return done(JoinResult.failed("", Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        String instanceId = request.groupInstanceId();
        String prefix = instanceId != null ? instanceId : Objects.requireNonNullElse(request.clientId(), "");
        String memberId = prefix + "-" + UUID.randomUUID();
        if (instanceId != null) {
            String oldMemberId = group.staticMemberId(instanceId);
            return oldMemberId != null ? replaceStaticMember(group, oldMemberId, memberId, request)
                    : addMemberAndRebalance(group, memberId, request);
        }
        if (request.requireKnownMemberId()) {
            // The member joins for real only with its second JoinGroup: a client that dies between the two costs
            // this entry alone, until its session timeout.
            group.addPending(memberId, schedule(request.sessionTimeoutMs(), () -> expirePending(group, memberId)));
            return done(JoinResult.failed(memberId, Errors.MEMBER_ID_REQUIRED));
        }
        return addMemberAndRebalance(group, memberId, request);
    }

    private CompletableFuture<JoinResult> joinKnownMember(ClassicGroup group, JoinRequest request) {
        String memberId = request.memberId();
        if (!group.supportsProtocols(request.protocolType(), request.protocols())) {
            return done(JoinResult.failed(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        if (request.groupInstanceId() == null && group.removePending(memberId)) {
            return addMemberAndRebalance(group, memberId, request);
        }
        Errors error = group.checkMember(memberId, request.groupInstanceId());
        if (error != null) {
            return done(JoinResult.failed(memberId, error));
        }
        GroupMember member = group.member(memberId);
        return switch (group.state()) {
            case GroupState.PreparingRebalance _ -> updateMemberAndRebalance(group, member, request);
            case GroupState.CompletingRebalance _ -> member.matches(request.protocols())
                    // A retry after a lost response: the generation formed stands.
                    ? done(currentGeneration(group, memberId, group.isLeader(memberId)))
                    : updateMemberAndRebalance(group, member, request);
            case GroupState.Stable _ -> group.isLeader(memberId) || !member.matches(request.protocols())
                    // The leader rejoins when it sees a change the metadata does not show (new partitions).
                    ? updateMemberAndRebalance(group, member, request)
                    : done(currentGeneration(group, memberId, false));
            case GroupState.Empty _, GroupState.Dead _ -> done(JoinResult.failed(memberId, Errors.UNKNOWN_MEMBER_ID));
        };
    }

    private static JoinResult currentGeneration(ClassicGroup group, String memberId, boolean withMembers) {
        return new JoinResult(Errors.NONE, memberId, group.generation(), group.protocolType(), group.protocolName(),
                group.leaderId(), false, withMembers ? group.joinedMembers() : List.of());
    }

    private CompletableFuture<JoinResult> addMemberAndRebalance(ClassicGroup group, String memberId,
                                                                JoinRequest request) {
        GroupMember member = new GroupMember(memberId, request.groupInstanceId(), request.clientId(),
                request.clientHost(), request.protocolType(), request.rebalanceTimeoutMs(),
                request.sessionTimeoutMs(), request.protocols());
        member.isNew(true);
        if (group.state() instanceof GroupState.PreparingRebalance && group.generation() == 0) {
            group.newMemberAdded(true);
        }
        group.add(member);
        CompletableFuture<JoinResult> result = new CompletableFuture<>();
        member.awaitJoin(result);
        touch(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
        maybePrepareRebalance(group, "member " + memberId + " joined");
        return result;
    }

    private CompletableFuture<JoinResult> updateMemberAndRebalance(ClassicGroup group, GroupMember member,
                                                                   JoinRequest request) {
        member.update(request.protocols(), request.rebalanceTimeoutMs(), request.sessionTimeoutMs());
        CompletableFuture<JoinResult> result = new CompletableFuture<>();
        CompletableFuture<JoinResult> displaced = member.awaitJoin(result);
        if (displaced != null) {
            displaced.complete(JoinResult.failed(member.memberId(), Errors.REBALANCE_IN_PROGRESS));
        }
        maybePrepareRebalance(group, "member " + member.memberId() + " rejoined");
        return result;
    }

    /**
     * A static member restarted (it comes with its instance id and no member id): it takes the old member's place
     * under a new id. In a stable group whose protocol stays the same nothing else changes, so the others keep
     * their generation and the member gets its old assignment back through SyncGroup.
     */
    private CompletableFuture<JoinResult> replaceStaticMember(ClassicGroup group, String oldMemberId,
                                                              String newMemberId, JoinRequest request) {
        String previousLeader = group.leaderId();
        GroupMember old = group.member(oldMemberId);
        GroupMember member = old.withId(newMemberId, request.clientId(), request.clientHost());
        group.replaceStatic(oldMemberId, member);
        cancelExpiry(old);
        // Anything still waiting under the old id comes from a zombie of this instance.
        old.completeJoin(JoinResult.failed(oldMemberId, Errors.FENCED_INSTANCE_ID));
        old.completeSync(SyncResult.failed(Errors.FENCED_INSTANCE_ID));
        member.update(request.protocols(), request.rebalanceTimeoutMs(), request.sessionTimeoutMs());
        CompletableFuture<JoinResult> result = new CompletableFuture<>();
        member.awaitJoin(result);
        touch(group, member, member.sessionTimeoutMs());
        LOG.info("static member {} of group {} is back as {}, replacing {}", request.groupInstanceId(),
                group.groupId(), newMemberId, oldMemberId);
        switch (group.state()) {
            case GroupState.Stable _ -> {
                if (Objects.equals(group.selectProtocol(), group.protocolName())) {
                    int generation = group.generation();
                    store.write(List.of(groups.record(group, null))).whenCompleteAsync((ignored, failure) ->
                            staticMemberRecorded(group, generation, member, result, previousLeader,
                                    request.supportSkippingAssignment(), failure), scheduler);
                } else {
                    prepareRebalance(group, "static member " + request.groupInstanceId()
                            + " rejoined with other protocols");
                }
            }
            // The leader may be assigning partitions to the old member id: start over.
            case GroupState.CompletingRebalance _ -> prepareRebalance(group, "static member "
                    + request.groupInstanceId() + " rejoined during the sync");
            case GroupState.PreparingRebalance _ -> {
                // Its JoinGroup waits with the others'.
            }
            case GroupState.Empty _, GroupState.Dead _ -> throw new IllegalStateException(
                    "group " + group.groupId() + " has static members while " + group.state().protocolName());
        }
        return result;
    }

    private void staticMemberRecorded(ClassicGroup group, int generation, GroupMember member,
                                      CompletableFuture<JoinResult> result, String previousLeader,
                                      boolean supportSkippingAssignment, Throwable failure) {
        synchronized (group) {
            boolean unchanged = group.state() instanceof GroupState.Stable && group.generation() == generation
                    && group.member(member.memberId()) == member && member.isAwaitingJoin(result);
            if (!unchanged) {
                // A rebalance started meanwhile and answers this JoinGroup with the others.
                return;
            }
            if (failure != null) {
                LOG.warn("cannot record static member {} of group {}", member.memberId(), group.groupId(), failure);
                member.completeJoin(JoinResult.failed("", GroupStore.clientError(failure)));
            } else if (supportSkippingAssignment) {
                // v9+: a returning leader learns it leads (to watch metadata) but keeps the current assignment.
                boolean leader = group.isLeader(member.memberId());
                member.completeJoin(new JoinResult(Errors.NONE, member.memberId(), generation, group.protocolType(),
                        group.protocolName(), group.leaderId(), leader,
                        leader ? group.joinedMembers() : List.of()));
            } else {
                // Older clients would compute an assignment as leader that a stable group never hands out: naming
                // the old leader makes the member a follower, which fetches its assignment with SyncGroup.
                member.completeJoin(new JoinResult(Errors.NONE, member.memberId(), generation, group.protocolType(),
                        group.protocolName(), previousLeader, false, List.of()));
            }
        }
    }

    private void expirePending(ClassicGroup group, String memberId) {
        synchronized (group) {
            if (group.removePending(memberId)) {
                tryCompleteJoin(group);
            }
        }
    }

    // ---- the rebalance ----

    private void maybePrepareRebalance(ClassicGroup group, String reason) {
        if (group.state().canRebalance()) {
            prepareRebalance(group, reason);
        }
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
        if (group.state() instanceof GroupState.CompletingRebalance) {
            // The assignment being computed is for a membership that no longer holds.
            for (GroupMember member : group.members()) {
                member.assignment(null);
                member.completeSync(SyncResult.failed(Errors.REBALANCE_IN_PROGRESS));
            }
        }
        group.pendingSync().clear();
        boolean initial = group.state() instanceof GroupState.Empty && settings.initialRebalanceDelayMs() > 0;
        group.transitionTo(new GroupState.PreparingRebalance(initial));
        LOG.info("group {} rebalancing from generation {}: {}", group.groupId(), group.generation(), reason);
        int round = group.nextRound();
        if (initial) {
            group.newMemberAdded(false);
            int delay = settings.initialRebalanceDelayMs();
            int remaining = Math.max(group.rebalanceTimeoutMs() - delay, 0);
            group.timer(schedule(delay, () -> initialDelayElapsed(group, round, remaining)));
        } else {
            group.timer(schedule(group.rebalanceTimeoutMs(), () -> joinTimedOut(group, round)));
            tryCompleteJoin(group);
        }
    }

    private void initialDelayElapsed(ClassicGroup group, int round, int remaining) {
        synchronized (group) {
            if (!group.isRound(round) || !(group.state() instanceof GroupState.PreparingRebalance)) {
                return;
            }
            if (group.newMemberAdded() && remaining > 0) {
                // Members are still arriving: wait once more, within the rebalance timeout.
                group.newMemberAdded(false);
                int delay = Math.min(settings.initialRebalanceDelayMs(), remaining);
                int next = group.nextRound();
                group.timer(schedule(delay, () -> initialDelayElapsed(group, next, remaining - delay)));
            } else {
                completeJoin(group);
            }
        }
    }

    private void joinTimedOut(ClassicGroup group, int round) {
        synchronized (group) {
            if (group.isRound(round) && group.state() instanceof GroupState.PreparingRebalance) {
                completeJoin(group);
            }
        }
    }

    private void tryCompleteJoin(ClassicGroup group) {
        if (group.state() instanceof GroupState.PreparingRebalance(boolean delaying) && !delaying
                && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    /** Ends the join phase: members that did not rejoin are out, and the rest form the next generation. */
    private void completeJoin(ClassicGroup group) {
        group.nextRound();
        for (GroupMember member : group.notYetRejoined()) {
            // Static members keep their place: their instance is expected back.
            if (!member.isStatic()) {
                dropMember(group, member);
            }
        }
        if (!group.electJoinedLeader() && !group.members().isEmpty()) {
            // Only absent static members are left: wait another round while their sessions run out.
            int round = group.nextRound();
            group.timer(schedule(group.rebalanceTimeoutMs(), () -> joinTimedOut(group, round)));
            return;
        }
        group.initNextGeneration(clock.millis());
        if (group.state() instanceof GroupState.Empty) {
            LOG.info("group {} is empty at generation {}", group.groupId(), group.generation());
            groups.recordQuietly(group);
            return;
        }
        LOG.info("group {} formed generation {} with {} members, protocol {}, leader {}", group.groupId(),
                group.generation(), group.members().size(), group.protocolName(), group.leaderId());
        List<JoinedMember> joined = group.joinedMembers();
        for (GroupMember member : group.members()) {
            boolean leader = group.isLeader(member.memberId());
            member.completeJoin(new JoinResult(Errors.NONE, member.memberId(), group.generation(),
                    group.protocolType(), group.protocolName(), group.leaderId(), false,
                    leader ? joined : List.of()));
            touch(group, member, member.sessionTimeoutMs());
            member.isNew(false);
            group.pendingSync().add(member.memberId());
        }
        int round = group.nextRound();
        int generation = group.generation();
        group.timer(schedule(group.rebalanceTimeoutMs(), () -> syncTimedOut(group, round, generation)));
    }

    /** Members of the generation that never sent SyncGroup are out, and the group rebalances without them. */
    private void syncTimedOut(ClassicGroup group, int round, int generation) {
        synchronized (group) {
            boolean waiting = group.state() instanceof GroupState.CompletingRebalance
                    || group.state() instanceof GroupState.Stable;
            if (!group.isRound(round) || group.generation() != generation || !waiting
                    || group.pendingSync().isEmpty()) {
                return;
            }
            List<String> missing = List.copyOf(group.pendingSync());
            for (String memberId : missing) {
                dropMember(group, group.member(memberId));
            }
            prepareRebalance(group, "members " + missing + " sent no SyncGroup within the rebalance timeout");
        }
    }

    // ---- SyncGroup ----

    CompletableFuture<SyncResult> sync(String groupId, int generation, String memberId, String groupInstanceId,
                                       String protocolType, String protocolName, Map<String, byte[]> assignments) {
        if (isBlank(groupId)) {
            return done(SyncResult.failed(Errors.INVALID_GROUP_ID));
        }
        return groups.withGroup(groupId, false, group -> {
            Errors error = group.checkMember(memberId, groupInstanceId);
            if (error == null && generation != group.generation()) {
                error = Errors.ILLEGAL_GENERATION;
            }
            if (error == null && (protocolType != null && !protocolType.equals(group.protocolType())
                    || protocolName != null && !protocolName.equals(group.protocolName()))) {
                error = Errors.INCONSISTENT_GROUP_PROTOCOL;
            }
            if (error != null) {
                return done(SyncResult.failed(error));
            }
            GroupMember member = group.member(memberId);
            return switch (group.state()) {
                case GroupState.Empty _, GroupState.Dead _ -> done(SyncResult.failed(Errors.UNKNOWN_MEMBER_ID));
                case GroupState.PreparingRebalance _ -> done(SyncResult.failed(Errors.REBALANCE_IN_PROGRESS));
                case GroupState.CompletingRebalance _ -> awaitAssignment(group, member, assignments);
                case GroupState.Stable _ -> {
                    group.pendingSync().remove(memberId);
                    touch(group, member, member.sessionTimeoutMs());
                    yield done(new SyncResult(Errors.NONE, group.protocolType(), group.protocolName(),
                            member.assignment()));
                }
            };
        }, () -> done(SyncResult.failed(Errors.UNKNOWN_MEMBER_ID)));
    }

    private CompletableFuture<SyncResult> awaitAssignment(ClassicGroup group, GroupMember member,
                                                          Map<String, byte[]> assignments) {
        CompletableFuture<SyncResult> result = new CompletableFuture<>();
        CompletableFuture<SyncResult> displaced = member.awaitSync(result);
        if (displaced != null) {
            displaced.complete(SyncResult.failed(Errors.REBALANCE_IN_PROGRESS));
        }
        group.pendingSync().remove(member.memberId());
        touch(group, member, member.sessionTimeoutMs());
        if (group.isLeader(member.memberId())) {
            Map<String, byte[]> complete = new HashMap<>();
            for (GroupMember m : group.members()) {
                // A member the leader left out gets nothing, rather than a stale assignment.
                complete.put(m.memberId(), assignments.getOrDefault(m.memberId(), new byte[0]));
            }
            int generation = group.generation();
            store.write(List.of(groups.record(group, complete))).whenCompleteAsync((ignored, failure) ->
                    assignmentRecorded(group, generation, complete, failure), scheduler);
        }
        return result;
    }

    /** The leader's assignment is durable: hand it out and the group is stable (unless it moved on meanwhile). */
    private void assignmentRecorded(ClassicGroup group, int generation, Map<String, byte[]> assignments,
                                    Throwable failure) {
        synchronized (group) {
            if (!(group.state() instanceof GroupState.CompletingRebalance) || group.generation() != generation) {
                return;
            }
            if (failure != null) {
                LOG.warn("cannot record the assignment of group {}", group.groupId(), failure);
                Errors error = GroupStore.clientError(failure);
                for (GroupMember member : group.members()) {
                    member.assignment(null);
                    member.completeSync(SyncResult.failed(error));
                }
                prepareRebalance(group, "its assignment could not be recorded");
                return;
            }
            for (GroupMember member : group.members()) {
                member.assignment(assignments.get(member.memberId()));
                if (member.isAwaitingSync()) {
                    member.completeSync(new SyncResult(Errors.NONE, group.protocolType(), group.protocolName(),
                            member.assignment()));
                    touch(group, member, member.sessionTimeoutMs());
                }
            }
            group.transitionTo(new GroupState.Stable());
            LOG.info("group {} is stable at generation {}", group.groupId(), generation);
        }
    }

    // ---- Heartbeat and LeaveGroup ----

    Errors heartbeat(String groupId, int generation, String memberId, String groupInstanceId) {
        if (isBlank(groupId)) {
            return Errors.INVALID_GROUP_ID;
        }
        return groups.withGroup(groupId, false, group -> {
            Errors error = group.checkMember(memberId, groupInstanceId);
            if (error != null) {
                return error;
            }
            if (generation != group.generation()) {
                return Errors.ILLEGAL_GENERATION;
            }
            GroupMember member = group.member(memberId);
            return switch (group.state()) {
                case GroupState.Empty _, GroupState.Dead _ -> Errors.UNKNOWN_MEMBER_ID;
                case GroupState.PreparingRebalance _ -> {
                    touch(group, member, member.sessionTimeoutMs());
                    yield Errors.REBALANCE_IN_PROGRESS;
                }
                case GroupState.CompletingRebalance _, GroupState.Stable _ -> {
                    touch(group, member, member.sessionTimeoutMs());
                    yield Errors.NONE;
                }
            };
        }, () -> Errors.UNKNOWN_MEMBER_ID);
    }

    LeaveResult leave(String groupId, List<LeavingMember> leaving) {
        if (isBlank(groupId)) {
            return new LeaveResult(Errors.INVALID_GROUP_ID, List.of());
        }
        return groups.withGroup(groupId, false, group -> {
            List<Errors> errors = new ArrayList<>();
            for (LeavingMember l : leaving) {
                errors.add(leave(group, l));
            }
            return new LeaveResult(Errors.NONE, errors);
        }, () -> new LeaveResult(Errors.NONE, leaving.stream().map(l -> Errors.UNKNOWN_MEMBER_ID).toList()));
    }

    private Errors leave(ClassicGroup group, LeavingMember leaving) {
        String memberId = leaving.memberId();
        if (isBlank(memberId)) {
            String staticMemberId = leaving.groupInstanceId() == null ? null
                    : group.staticMemberId(leaving.groupInstanceId());
            if (staticMemberId == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            memberId = staticMemberId;
        } else if (group.removePending(memberId)) {
            tryCompleteJoin(group);
            return Errors.NONE;
        } else {
            Errors error = group.checkMember(memberId, leaving.groupInstanceId());
            if (error != null) {
                return error;
            }
        }
        removeMemberAndUpdateGroup(group, group.member(memberId), "member " + memberId + " left");
        return Errors.NONE;
    }

    // ---- membership ----

    private void removeMemberAndUpdateGroup(ClassicGroup group, GroupMember member, String reason) {
        dropMember(group, member);
        switch (group.state()) {
            case GroupState.Stable _, GroupState.CompletingRebalance _ -> maybePrepareRebalance(group, reason);
            case GroupState.PreparingRebalance _ -> tryCompleteJoin(group);
            case GroupState.Empty _, GroupState.Dead _ -> {
            }
        }
    }

    /** Takes a member out, answering whatever it waits on so that its connection is not left hanging. */
    private void dropMember(ClassicGroup group, GroupMember member) {
        group.remove(member.memberId());
        cancelExpiry(member);
        member.completeJoin(JoinResult.failed("", Errors.UNKNOWN_MEMBER_ID));
        member.completeSync(SyncResult.failed(Errors.UNKNOWN_MEMBER_ID));
    }

    /** Records activity: the member must show up again within {@code timeoutMs}. */
    private void touch(ClassicGroup group, GroupMember member, int timeoutMs) {
        member.deadlineNanos(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
        cancelExpiry(member);
        member.expiry(schedule(timeoutMs, () -> checkSession(group, member)));
    }

    private static void cancelExpiry(GroupMember member) {
        ScheduledFuture<?> expiry = member.expiry();
        if (expiry != null) {
            expiry.cancel(false);
            member.expiry(null);
        }
    }

    private void checkSession(ClassicGroup group, GroupMember member) {
        synchronized (group) {
            if (group.isDead() || group.member(member.memberId()) != member) {
                return;
            }
            long now = System.nanoTime();
            if (member.heartbeatSatisfied(now)) {
                long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(member.deadlineNanos() - now));
                boolean waiting = member.isAwaitingJoin() || member.isAwaitingSync();
                long delay = waiting ? Math.max(remainingMs, member.sessionTimeoutMs()) : remainingMs;
                member.expiry(schedule(delay, () -> checkSession(group, member)));
                return;
            }
            LOG.info("member {} of group {} expired: no heartbeat within its session timeout of {} ms",
                    member.memberId(), group.groupId(), member.sessionTimeoutMs());
            removeMemberAndUpdateGroup(group, member, "member " + member.memberId() + " expired");
        }
    }

    // ---- helpers ----

    private ScheduledFuture<?> schedule(long delayMs, Runnable task) {
        try {
            return scheduler.schedule(guarded(task), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: no timer matters any more.
            return null;
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("group coordinator task failed", e);
            }
        };
    }

    private static boolean isBlank(String value) {
        return value == null || value.isEmpty();
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
