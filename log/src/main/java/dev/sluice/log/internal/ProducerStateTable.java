package dev.sluice.log.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
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

    static final class Entry {
        short epoch;
        final ArrayDeque<BatchRecord> batches = new ArrayDeque<>(CACHED_BATCHES);
        long lastTimestamp;

        Entry(short epoch) {
            this.epoch = epoch;
        }

        int lastSequence() {
            return batches.isEmpty() ? -1 : batches.peekLast().lastSequence();
        }
    }

    private final Map<Long, Entry> producers = new HashMap<>();

    /**
     * Checks a batch against the producer's state.
     *
     * @return the batch it duplicates, or null when it is new and may be appended
     * @throws InvalidProducerEpochException for an epoch older than the producer's
     * @throws OutOfOrderSequenceException   for a sequence that does not follow
     */
    BatchRecord check(long producerId, short epoch, int firstSequence, int lastSequence) {
        Entry entry = producers.get(producerId);
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
        for (BatchRecord batch : entry.batches) {
            if (batch.firstSequence() == firstSequence && batch.lastSequence() == lastSequence) {
                return batch;
            }
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
        Entry entry = producers.get(producerId);
        if (entry == null || epoch > entry.epoch) {
            entry = new Entry(epoch);
            producers.put(producerId, entry);
        }
        if (entry.batches.size() == CACHED_BATCHES) {
            entry.batches.pollFirst();
        }
        entry.batches.addLast(new BatchRecord(firstSequence, lastSequence, firstOffset, lastOffset));
        entry.lastTimestamp = Math.max(entry.lastTimestamp, timestamp);
    }

    /** Forgets producers not heard from since {@code oldestTimestamp}. */
    void expire(long oldestTimestamp) {
        producers.values().removeIf(entry -> entry.lastTimestamp < oldestTimestamp);
    }

    int size() {
        return producers.size();
    }

    void clear() {
        producers.clear();
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(producers.size());
        for (Map.Entry<Long, Entry> producer : producers.entrySet()) {
            Entry entry = producer.getValue();
            out.writeLong(producer.getKey());
            out.writeShort(entry.epoch);
            out.writeLong(entry.lastTimestamp);
            out.writeInt(entry.batches.size());
            for (BatchRecord batch : entry.batches) {
                out.writeInt(batch.firstSequence());
                out.writeInt(batch.lastSequence());
                out.writeLong(batch.firstOffset());
                out.writeLong(batch.lastOffset());
            }
        }
    }

    void read(DataInputStream in) throws IOException {
        producers.clear();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            long producerId = in.readLong();
            Entry entry = new Entry(in.readShort());
            entry.lastTimestamp = in.readLong();
            int batches = in.readInt();
            for (int b = 0; b < batches; b++) {
                entry.batches.addLast(new BatchRecord(in.readInt(), in.readInt(), in.readLong(), in.readLong()));
            }
            producers.put(producerId, entry);
        }
    }
}
