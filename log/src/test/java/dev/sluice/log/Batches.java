package dev.sluice.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;

/** Builds and decodes record batches for tests, with kafka-clients' own classes. */
public final class Batches {
    private Batches() {
    }

    /** One uncompressed v2 batch of records with the given values, all stamped {@code timestamp}. */
    public static ByteBuffer of(long timestamp, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(timestamp, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records).buffer();
    }

    /** One batch of one keyed record; a null value is a tombstone. */
    public static ByteBuffer keyed(long timestamp, String key, String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(timestamp,
                key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8))).buffer();
    }

    /** One batch of {@code count} records of {@code recordBytes} bytes each, values derived from {@code seed}. */
    public static ByteBuffer sized(long seed, int count, int recordBytes, Compression compression) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[recordBytes];
            fill(value, seed * 31 + i);
            records[i] = new SimpleRecord(1_700_000_000_000L + seed, value);
        }
        return MemoryRecords.withRecords(compression, records).buffer();
    }

    /** Deterministic bytes from a seed, so a reader can recompute what a writer wrote. */
    public static void fill(byte[] target, long seed) {
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < target.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            target[i] = (byte) x;
        }
    }

    /** A record as read back: offset, timestamp, key and value as strings. */
    public record Read(long offset, long timestamp, String key, String value) {
    }

    /** Decodes every record in a read's slice. */
    public static List<Read> records(ReadResult result) {
        try {
            return records(result.records().isEmpty() ? ByteBuffer.allocate(0) : result.records().read());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static List<Read> records(ByteBuffer buffer) {
        List<Read> out = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableRecords(buffer).batches()) {
            batch.ensureValid();
            for (Record record : batch) {
                out.add(new Read(record.offset(), record.timestamp(), string(record.key()), string(record.value())));
            }
        }
        return out;
    }

    /** Reads every record from {@code from} to the high watermark. */
    public static List<Read> readAll(PartitionLog log, long from) {
        List<Read> out = new ArrayList<>();
        long next = from;
        while (next < log.highWatermark()) {
            List<Read> chunk = records(log.read(next, 1 << 20));
            if (chunk.isEmpty()) {
                break;
            }
            for (Read read : chunk) {
                if (read.offset() >= next) {
                    out.add(read);
                }
            }
            next = chunk.getLast().offset() + 1;
        }
        return out;
    }

    private static String string(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
