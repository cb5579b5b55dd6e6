package dev.sluice.broker.internal;

import dev.sluice.pipelines.ChainResult;
import dev.sluice.pipelines.Notification;
import dev.sluice.pipelines.PipelineChain;
import dev.sluice.pipelines.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.ByteBufferOutputStream;

/**
 * Runs a chain of pipelines over the batches of one partition and re-encodes them: a produce request's batches before
 * they are appended, or the batches a fetch read for a client with consume pipelines before they are sent.
 *
 * <p>Each batch keeps its producer id, epoch, base sequence, compression, timestamps and — through
 * {@link MemoryRecordsBuilder#overrideLastOffset} — its last offset delta, so idempotent producers' sequence checks
 * and the offsets a batch occupies are the same as without pipelines; a dropped or dead-lettered record leaves a gap
 * in the offsets, as compaction does, which every client handles. A batch whose records were all removed is kept as
 * an empty batch header for the same reason. Records without a value (tombstones) pass untouched.
 */
final class RecordPipelines {
    /** A record that a pipeline sent to a dead-letter topic. */
    record DeadLetter(String topic, byte[] key, byte[] value, Header[] headers, long timestamp) {
    }

    /**
     * The outcome for one partition's batches.
     *
     * @param batches       what to append (the re-encoded batches)
     * @param deadLetters   records to append to dead-letter topics before answering
     * @param notifications notifications the pipelines asked for
     */
    record Outcome(ByteBuffer batches, List<DeadLetter> deadLetters, List<Notification> notifications,
                   int records, long bytes, int dropped, int changed, int errors, List<Sample> samples) {
    }

    /** A record before and after the pipelines, for an open tail. */
    record Sample(long offset, byte[] before, byte[] after, Verdict verdict, Header[] headersBefore,
                  Header[] headersAfter) {
    }

    /** Says which records to sample (at most so many a second); null when no tail is open. */
    interface Sampler {
        boolean take();
    }

    private RecordPipelines() {
    }

    /**
     * @throws CorruptRecordException when a batch fails its CRC check (nothing is re-encoded from bad bytes) or is
     *                                not of message format v2
     */
    static Outcome run(PipelineChain chain, String topic, int partition, MemoryRecords records) {
        return run(chain, topic, partition, records, null);
    }

    static Outcome run(PipelineChain chain, String topic, int partition, MemoryRecords records, Sampler sampler) {
        ByteBufferOutputStream out = new ByteBufferOutputStream(Math.max(256, records.sizeInBytes() + 64));
        List<DeadLetter> deadLetters = new ArrayList<>(0);
        List<Notification> notifications = new ArrayList<>(0);
        List<Sample> samples = sampler == null ? List.of() : new ArrayList<>(0);
        int count = 0;
        int dropped = 0;
        int changed = 0;
        int errors = 0;
        long bytes = 0;
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                throw new CorruptRecordException("batch of message format v" + batch.magic()
                        + " in " + topic + "-" + partition + ": only v2 is stored");
            }
            batch.ensureValid();
            if (batch.isControlBatch()) {
                ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
                batch.writeTo(copy);
                out.write(copy.array(), 0, copy.limit());
                continue;
            }
            int start = out.position();
            MemoryRecordsBuilder builder = new MemoryRecordsBuilder(out, RecordBatch.MAGIC_VALUE_V2,
                    Compression.of(batch.compressionType()).build(), batch.timestampType(), batch.baseOffset(),
                    batch.timestampType() == org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
                            ? batch.maxTimestamp() : RecordBatch.NO_TIMESTAMP,
                    batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.isTransactional(), false,
                    batch.partitionLeaderEpoch(), Integer.MAX_VALUE);
            for (Record record : batch) {
                count++;
                if (!record.hasValue()) {
                    builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), null,
                            record.headers());
                    continue;
                }
                byte[] value = bytes(record.value());
                ChainResult result = chain.process(value, topic, false);
                bytes += value.length;
                errors += result.errors();
                if (result.notifications() != null) {
                    notifications.addAll(result.notifications());
                }
                Header[] headers = headers(record.headers(), result.headers());
                if (sampler != null && sampler.take()) {
                    samples.add(new Sample(record.offset(), value, result.value(), result.verdict(),
                            record.headers(), headers));
                }
                if (result.changed()) {
                    changed++;
                }
                if (result.verdict() == Verdict.PASS) {
                    builder.appendWithOffset(record.offset(), record.timestamp(), record.key(),
                            ByteBuffer.wrap(result.value()), headers);
                    continue;
                }
                dropped++;
                if (result.verdict() == Verdict.DEAD_LETTER) {
                    deadLetters.add(new DeadLetter(result.deadLetter(),
                            record.hasKey() ? bytes(record.key()) : null, result.value(),
                            deadLetterHeaders(headers, topic, partition, result.reason()), record.timestamp()));
                }
            }
            if (builder.numRecords() == 0) {
                builder.abort();
                out.position(start);
                ByteBuffer empty = ByteBuffer.allocate(DefaultRecordBatch.RECORD_BATCH_OVERHEAD);
                DefaultRecordBatch.writeEmptyHeader(empty, RecordBatch.MAGIC_VALUE_V2, batch.producerId(),
                        batch.producerEpoch(), batch.baseSequence(), batch.baseOffset(), batch.lastOffset(),
                        batch.partitionLeaderEpoch(), batch.timestampType(), batch.maxTimestamp(),
                        batch.isTransactional(), false);
                out.write(empty.array(), 0, empty.limit());
            } else {
                builder.overrideLastOffset(batch.lastOffset());
                builder.close();
            }
        }
        ByteBuffer result = out.buffer();
        result.flip();
        return new Outcome(result, deadLetters, notifications, count, bytes, dropped, changed, errors, samples);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static Header[] headers(Header[] original, Map<String, String> added) {
        if (added == null || added.isEmpty()) {
            return original;
        }
        Header[] all = new Header[original.length + added.size()];
        System.arraycopy(original, 0, all, 0, original.length);
        int i = original.length;
        for (Map.Entry<String, String> entry : added.entrySet()) {
            all[i++] = new RecordHeader(entry.getKey(), entry.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return all;
    }

    private static Header[] deadLetterHeaders(Header[] headers, String topic, int partition, String reason) {
        Header[] all = new Header[headers.length + 3];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = new RecordHeader("sluice.error", reason.getBytes(StandardCharsets.UTF_8));
        all[headers.length + 1] = new RecordHeader("sluice.topic", topic.getBytes(StandardCharsets.UTF_8));
        all[headers.length + 2] = new RecordHeader("sluice.partition",
                Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        return all;
    }
}
