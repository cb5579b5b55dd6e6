package dev.sluice.log.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;

/**
 * What the log knows of each idempotent producer that wrote to it: its epoch, and the sequence numbers and offsets of
 * its last few batches. It lets an append recognise a retried batch (a duplicate, answered with the offsets it got
 * the first time) and reject a batch whose sequence does not follow the last one.
 *
 * <p>Rules, as Kafka's: a batch from the current epoch must continue the sequence (last + 1, wrapping at
 * {@code Integer.MAX_VALUE}); a newer epoch starts at sequence 0; an older epoch is fenced. The last
 * {@value #CACHED_BATCHES} batches per producer are kept, matching the clients' limit of in-flight requests.
 *
 * <p>Not thread-safe: used under the log's writer lock.
 */
final class ProducerStateTable {
    static final int CACHED_BATCHES = 5;

    /** A batch written by a producer: its sequence range and where it landed. */
    record BatchRecord(int firstSequence, int lastSequence, long firstOffset, long lastOffset) {
    }

    /**
     * One producer: its epoch and a ring of its last {@value #CACHED_BATCHES} batches, kept in primitive arrays so
     * recording a batch allocates nothing.
     */
    static final class Entry {
        short epoch;
        long lastTimestamp;
        private final int[] firstSequences = new int[CACHED_BATCHES];
        private final int[] lastSequences = new int[CACHED_BATCHES];
        private final long[] firstOffsets = new long[CACHED_BATCHES];
        private final long[] lastOffsets = new long[CACHED_BATCHES];
        private int count;
        private int next;

        Entry(short epoch) {
            this.epoch = epoch;
        }

        int lastSequence() {
            return count == 0 ? -1 : lastSequences[(next + CACHED_BATCHES - 1) % CACHED_BATCHES];
        }

        void add(int firstSequence, int lastSequence, long firstOffset, long lastOffset) {
            firstSequences[next] = firstSequence;
            lastSequences[next] = lastSequence;
            firstOffsets[next] = firstOffset;
            lastOffsets[next] = lastOffset;
            next = (next + 1) % CACHED_BATCHES;
            count = Math.min(count + 1, CACHED_BATCHES);
        }

        /** The cached batch with exactly these sequences, or null. */
        BatchRecord find(int firstSequence, int lastSequence) {
            for (int i = 0; i < count; i++) {
                if (firstSequences[i] == firstSequence && lastSequences[i] == lastSequence) {
                    return new BatchRecord(firstSequence, lastSequence, firstOffsets[i], lastOffsets[i]);
                }
            }
            return null;
        }

        /** Cached batches, oldest first. */
        java.util.List<BatchRecord> batches() {
            java.util.List<BatchRecord> batches = new java.util.ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int at = (next - count + i + CACHED_BATCHES) % CACHED_BATCHES;
                batches.add(new BatchRecord(firstSequences[at], lastSequences[at], firstOffsets[at], lastOffsets[at]));
            }
            return batches;
        }
    }

    private final Map<Long, Entry> producers = new HashMap<>();
    /**
     * The entry looked up last: a producer's check and update come in pairs, and one producer often sends many
     * batches in a row, so this spares boxing the id for the map on most appends. Cleared whenever entries go.
     */
    private long cachedProducerId = -1;
    private Entry cachedEntry;

    private Entry entry(long producerId) {
        if (cachedEntry != null && cachedProducerId == producerId) {
            return cachedEntry;
        }
        Entry entry = producers.get(producerId);
        if (entry != null) {
            cachedProducerId = producerId;
            cachedEntry = entry;
        }
        return entry;
    }

    private void forgetCached() {
        cachedProducerId = -1;
        cachedEntry = null;
    }

    /**
     * Checks a batch against the producer's state.
     *
     * @return the batch it duplicates, or null when it is new and may be appended
     * @throws InvalidProducerEpochException for an epoch older than the producer's
     * @throws OutOfOrderSequenceException   for a sequence that does not follow
     */
    BatchRecord check(long producerId, short epoch, int firstSequence, int lastSequence) {
        Entry entry = entry(producerId);
        if (entry == null) {
            if (firstSequence != 0) {
                throw new OutOfOrderSequenceException("producer " + producerId + " is unknown to this partition "
                        + "and its first batch has sequence " + firstSequence + ", not 0");
            }
            return null;
        }
        if (epoch < entry.epoch) {
            throw new InvalidProducerEpochException("producer " + producerId + " epoch " + epoch
                    + " is older than the current epoch " + entry.epoch);
        }
        if (epoch > entry.epoch) {
            if (firstSequence != 0) {
                throw new OutOfOrderSequenceException("producer " + producerId + " started epoch " + epoch
                        + " at sequence " + firstSequence + ", not 0");
            }
            return null;
        }
        BatchRecord duplicate = entry.find(firstSequence, lastSequence);
        if (duplicate != null) {
            return duplicate;
        }
        int expected = entry.lastSequence() == Integer.MAX_VALUE ? 0 : entry.lastSequence() + 1;
        if (firstSequence != expected) {
            throw new OutOfOrderSequenceException("producer " + producerId + " sent sequence " + firstSequence
                    + " but the next expected is " + expected);
        }
        return null;
    }

    /** Records an appended batch. */
    void update(long producerId, short epoch, int firstSequence, int lastSequence, long firstOffset,
                long lastOffset, long timestamp) {
        Entry entry = entry(producerId);
        if (entry == null || epoch > entry.epoch) {
            entry = new Entry(epoch);
            producers.put(producerId, entry);
            cachedProducerId = producerId;
            cachedEntry = entry;
        }
        entry.add(firstSequence, lastSequence, firstOffset, lastOffset);
        entry.lastTimestamp = Math.max(entry.lastTimestamp, timestamp);
    }

    /** Forgets producers not heard from since {@code oldestTimestamp}. */
    void expire(long oldestTimestamp) {
        forgetCached();
        producers.values().removeIf(entry -> entry.lastTimestamp < oldestTimestamp);
    }

    int size() {
        return producers.size();
    }

    void clear() {
        forgetCached();
        producers.clear();
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(producers.size());
        for (Map.Entry<Long, Entry> producer : producers.entrySet()) {
            Entry entry = producer.getValue();
            out.writeLong(producer.getKey());
            out.writeShort(entry.epoch);
            out.writeLong(entry.lastTimestamp);
            java.util.List<BatchRecord> batches = entry.batches();
            out.writeInt(batches.size());
            for (BatchRecord batch : batches) {
                out.writeInt(batch.firstSequence());
                out.writeInt(batch.lastSequence());
                out.writeLong(batch.firstOffset());
                out.writeLong(batch.lastOffset());
            }
        }
    }

    void read(DataInputStream in) throws IOException {
        forgetCached();
        producers.clear();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            long producerId = in.readLong();
            Entry entry = new Entry(in.readShort());
            entry.lastTimestamp = in.readLong();
            int batches = in.readInt();
            for (int b = 0; b < batches; b++) {
                entry.add(in.readInt(), in.readInt(), in.readLong(), in.readLong());
            }
            producers.put(producerId, entry);
        }
    }
}
