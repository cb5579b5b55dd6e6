package dev.sluice.broker.internal;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One member of a classic group: who it is, the protocols it supports with their metadata, its assignment, and the
 * JoinGroup or SyncGroup it is waiting on.
 *
 * <p>Not thread-safe: guarded by the lock of the {@link ClassicGroup} that holds it.
 */
final class GroupMember {

    /** A protocol the member supports, with the member's metadata for it (a consumer's subscription). */
    record Protocol(String name, byte[] metadata) {
    }

    private final String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private final String protocolType;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private List<Protocol> protocols;
    private byte[] assignment = new byte[0];
    private CompletableFuture<GroupCoordinator.JoinResult> awaitingJoin;
    private CompletableFuture<GroupCoordinator.SyncResult> awaitingSync;
    /** Joined in this rebalance and not yet in a generation: its JoinGroup may wait, but not forever. */
    private boolean isNew;
    private long deadlineNanos;
    private ScheduledFuture<?> expiry;

    GroupMember(String memberId, String groupInstanceId, String clientId, String clientHost, String protocolType,
                int rebalanceTimeoutMs, int sessionTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.protocolType = protocolType;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    /** This member under a new id, as a static member that restarted becomes; waiting requests are not carried over. */
    GroupMember withId(String newMemberId, String newClientId, String newClientHost) {
        GroupMember copy = new GroupMember(newMemberId, groupInstanceId, newClientId, newClientHost, protocolType,
                rebalanceTimeoutMs, sessionTimeoutMs, protocols);
        copy.assignment = assignment;
        return copy;
    }

    String memberId() {
        return memberId;
    }

    String groupInstanceId() {
        return groupInstanceId;
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    String protocolType() {
        return protocolType;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    List<Protocol> protocols() {
        return protocols;
    }

    /** The member's metadata for {@code protocol}, or null if it does not support it. */
    byte[] metadata(String protocol) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        return null;
    }

    boolean supports(String protocol) {
        return metadata(protocol) != null;
    }

    /** Whether {@code other} are exactly this member's protocols, in order and with the same metadata. */
    boolean matches(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            Protocol mine = protocols.get(i);
            Protocol theirs = other.get(i);
            if (!mine.name().equals(theirs.name()) || !Arrays.equals(mine.metadata(), theirs.metadata())) {
                return false;
            }
        }
        return true;
    }

    void update(List<Protocol> newProtocols, int newRebalanceTimeoutMs, int newSessionTimeoutMs) {
        this.protocols = List.copyOf(newProtocols);
        this.rebalanceTimeoutMs = newRebalanceTimeoutMs;
        this.sessionTimeoutMs = newSessionTimeoutMs;
    }

    byte[] assignment() {
        return assignment;
    }

    void assignment(byte[] value) {
        this.assignment = value == null ? new byte[0] : value;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    /** Whether the parked JoinGroup is {@code future}, and not a later one or none. */
    boolean isAwaitingJoin(CompletableFuture<GroupCoordinator.JoinResult> future) {
        return awaitingJoin == future;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    /** Parks the member's JoinGroup; returns the one it replaces (a retry after a lost response), or null. */
    CompletableFuture<GroupCoordinator.JoinResult> awaitJoin(CompletableFuture<GroupCoordinator.JoinResult> future) {
        CompletableFuture<GroupCoordinator.JoinResult> previous = awaitingJoin;
        awaitingJoin = future;
        return previous == future ? null : previous;
    }

    /** Answers the parked JoinGroup, if any; returns whether there was one. */
    boolean completeJoin(GroupCoordinator.JoinResult result) {
        CompletableFuture<GroupCoordinator.JoinResult> future = awaitingJoin;
        awaitingJoin = null;
        if (future == null) {
            return false;
        }
        future.complete(result);
        return true;
    }

    /** Parks the member's SyncGroup; returns the one it replaces, or null. */
    CompletableFuture<GroupCoordinator.SyncResult> awaitSync(CompletableFuture<GroupCoordinator.SyncResult> future) {
        CompletableFuture<GroupCoordinator.SyncResult> previous = awaitingSync;
        awaitingSync = future;
        return previous == future ? null : previous;
    }

    /** Answers the parked SyncGroup, if any. */
    void completeSync(GroupCoordinator.SyncResult result) {
        CompletableFuture<GroupCoordinator.SyncResult> future = awaitingSync;
        awaitingSync = null;
        if (future != null) {
            future.complete(result);
        }
    }

    boolean isNew() {
        return isNew;
    }

    void isNew(boolean value) {
        this.isNew = value;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    void deadlineNanos(long value) {
        this.deadlineNanos = value;
    }

    ScheduledFuture<?> expiry() {
        return expiry;
    }

    void expiry(ScheduledFuture<?> value) {
        this.expiry = value;
    }

    /**
     * Whether the member is alive as far as its session goes. Members waiting in a JoinGroup or SyncGroup cannot
     * heartbeat (the rebalance and sync timeouts bound them instead), except new members, whose JoinGroup may be
     * abandoned by a client that gave up.
     */
    boolean heartbeatSatisfied(long nowNanos) {
        if (!isNew && (isAwaitingJoin() || isAwaitingSync())) {
            return true;
        }
        return nowNanos - deadlineNanos < 0;
    }
}
