package dev.sluice.benchmarks;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * The batch every log benchmark appends: {@value #RECORDS} uncompressed records of {@value #VALUE_BYTES}-byte values,
 * built once by kafka-clients so its CRC is what a real producer would send.
 *
 * <p>The record framing (length, attributes, deltas, key and header counts) adds 9 bytes a record and the batch
 * header 61 bytes, so the batch is {@link #BATCH_BYTES} bytes: the "16 KiB batch" of the issue. Values are random
 * so nothing downstream (page cache, a compressing disk) gets a free ride from zeros.
 */
public final class RecordBatches {
    static final int RECORDS = 16;
    static final int VALUE_BYTES = 1024;
    static final int BATCH_BYTES = build(false).remaining();
    /** Producer id of {@linkplain #buildIdempotent idempotent} batches. */
    static final long PRODUCER_ID = 1000;

    // Batch header fields (Kafka v2): the CRC covers everything from the attributes on, base sequence included.
    private static final int CRC_OFFSET = 17;
    private static final int ATTRIBUTES_OFFSET = 21;
    private static final int BASE_SEQUENCE_OFFSET = 53;

    private RecordBatches() {
    }

    /** Prints {@link #BATCH_BYTES}, so that {@code bench/log-engine.sh} sizes its {@code dd} probes from it. */
    public static void main(String[] args) {
        System.out.println(BATCH_BYTES);
    }

    /**
     * A fresh buffer holding exactly one batch, position 0 and limit at its end. Benchmarks reuse it: the log
     * overwrites only the base-offset field, which the CRC does not cover, and restores the position.
     *
     * @param direct off-heap, as a network layer with pooled direct buffers would hand it over; heap otherwise, as
     *               kafka-clients builds it
     */
    static ByteBuffer build(boolean direct) {
        return copy(MemoryRecords.withRecords(Compression.NONE, records(RECORDS, VALUE_BYTES)).buffer(), direct);
    }

    /** {@code "heap"} or {@code "direct"}, as used by the benchmarks' {@code buffer} parameter. */
    static ByteBuffer build(String kind) {
        return build(isDirect(kind));
    }

    /** Parses the benchmarks' {@code buffer} parameter: {@code "heap"} or {@code "direct"}. */
    static boolean isDirect(String kind) {
        return switch (kind) {
            case "heap" -> false;
            case "direct" -> true;
            default -> throw new IllegalArgumentException("buffer must be heap or direct, not " + kind);
        };
    }

    /** A batch of another shape (no producer id), for runs off the 16 × 1 KiB. */
    static ByteBuffer build(int records, int valueBytes) {
        return copy(MemoryRecords.withRecords(Compression.NONE, records(records, valueBytes)).buffer(), false);
    }

    /**
     * The same batch from an idempotent producer ({@link #PRODUCER_ID}, epoch 0, sequence 0), as kafka-clients sends
     * by default since 3.0. Each append needs the next sequence: see {@link #setBaseSequence}.
     */
    static ByteBuffer buildIdempotent(boolean direct) {
        return copy(MemoryRecords.withIdempotentRecords(Compression.NONE, PRODUCER_ID, (short) 0, 0,
                records(RECORDS, VALUE_BYTES)).buffer(), direct);
    }

    /**
     * Rewrites the batch's base sequence and its CRC in place, without allocating, so one buffer can stand for a
     * producer's successive batches. Leaves position 0 and limit at the end.
     */
    static void setBaseSequence(ByteBuffer batch, int baseSequence, CRC32C crc) {
        batch.putInt(BASE_SEQUENCE_OFFSET, baseSequence);
        crc.reset();
        batch.limit(batch.capacity()).position(ATTRIBUTES_OFFSET);
        crc.update(batch);
        batch.putInt(CRC_OFFSET, (int) crc.getValue());
        batch.clear();
    }

    private static SimpleRecord[] records(int count, int valueBytes) {
        SplittableRandom random = new SplittableRandom(42);
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[valueBytes];
            random.nextBytes(value);
            records[i] = new SimpleRecord(1_700_000_000_000L + i, value);
        }
        return records;
    }

    private static ByteBuffer copy(ByteBuffer built, boolean direct) {
        int size = built.remaining();
        ByteBuffer copy = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        copy.put(built.duplicate()).flip();
        if (copy.get(16) != RecordBatch.MAGIC_VALUE_V2) {
            throw new IllegalStateException("kafka-clients built a batch of magic " + copy.get(16));
        }
        return copy;
    }
}
