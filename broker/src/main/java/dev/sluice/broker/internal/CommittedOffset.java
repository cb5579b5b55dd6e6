package dev.sluice.broker.internal;

/**
 * An offset committed for one partition by a group.
 *
 * @param offset            the next offset the group will consume
 * @param leaderEpoch       the leader epoch the client saw, or -1
 * @param metadata          the client's string, possibly null
 * @param commitTimestampMs when the coordinator accepted the commit
 * @param expireTimestampMs when it expires regardless of the group (OffsetCommit v2-v4 retention time), or -1
 */
record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs,
                       long expireTimestampMs) {
}
