package dev.sluice.broker.internal;

import org.apache.kafka.common.TopicPartition;

/**
 * Hears of groups' committed offsets appearing, moving and going (commits, OffsetDelete, deleted groups and topics,
 * expiry), so the lag gauges follow them. Called holding the group's lock: implementations must be quick.
 */
interface CommittedOffsetsListener {

    CommittedOffsetsListener NONE = new CommittedOffsetsListener() {
        @Override
        public void committed(String groupId, TopicPartition partition, long offset) {
        }

        @Override
        public void removed(String groupId, TopicPartition partition) {
        }
    };

    /** The group committed {@code offset} (the next offset it will consume) for the partition, or replay found it. */
    void committed(String groupId, TopicPartition partition, long offset);

    /** The group no longer has a committed offset for the partition. */
    void removed(String groupId, TopicPartition partition);
}
