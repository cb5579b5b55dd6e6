package dev.sluice.broker.internal;

/**
 * Where a classic consumer group is in its life: Kafka's five group states, named as clients see them in ListGroups
 * and DescribeGroups.
 *
 * <pre>
 * Empty               --first join-->                     PreparingRebalance
 * PreparingRebalance  --all members joined, or timeout--> CompletingRebalance, or Empty when nobody is left
 * CompletingRebalance --leader's assignment is durable--> Stable
 * CompletingRebalance, Stable --join, leave, expiry-->    PreparingRebalance
 * any                 --deleted, or offsets expired-->    Dead
 * </pre>
 */
sealed interface GroupState {

    /** No members; the group may still hold committed offsets, which start expiring {@code sinceMs}. */
    record Empty(long sinceMs) implements GroupState {
    }

    /**
     * Waiting for members to (re)join.
     *
     * @param delayingInitialJoin the group was empty: the join waits for the initial delay so that members starting
     *                            together land in one generation, instead of completing as soon as all known members
     *                            joined
     */
    record PreparingRebalance(boolean delayingInitialJoin) implements GroupState {
    }

    /** The new generation is formed; waiting for the leader's assignment in its SyncGroup. */
    record CompletingRebalance() implements GroupState {
    }

    /** Every member has its assignment; heartbeats keep it so until a member joins, leaves or expires. */
    record Stable() implements GroupState {
    }

    /** Deleted, or its offsets expired; it is out of the coordinator's map and requests holding it must look again. */
    record Dead() implements GroupState {
    }

    /** The state's name in Kafka's protocol, as ListGroups filters and DescribeGroups reports it. */
    default String protocolName() {
        return switch (this) {
            case Empty ignored -> "Empty";
            case PreparingRebalance ignored -> "PreparingRebalance";
            case CompletingRebalance ignored -> "CompletingRebalance";
            case Stable ignored -> "Stable";
            case Dead ignored -> "Dead";
        };
    }

    /** Whether a join, leave or expiry may start a rebalance now (otherwise one is already under way or moot). */
    default boolean canRebalance() {
        return this instanceof Empty || this instanceof CompletingRebalance || this instanceof Stable;
    }

    /** Kafka's allowed transitions; anything else is a coordinator bug. */
    default boolean canMoveTo(GroupState next) {
        return switch (next) {
            case Empty ignored -> this instanceof PreparingRebalance;
            case PreparingRebalance ignored -> canRebalance();
            case CompletingRebalance ignored -> this instanceof PreparingRebalance;
            case Stable ignored -> this instanceof CompletingRebalance;
            case Dead ignored -> true;
        };
    }
}
