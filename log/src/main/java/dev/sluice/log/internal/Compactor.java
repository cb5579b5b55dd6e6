package dev.sluice.log.internal;

import dev.sluice.log.FileLayer;
import dev.sluice.log.LogConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;

/**
 * Log compaction: keeps the latest record per key in the sealed segments, and removes tombstones once their delete
 * horizon has passed.
 *
 * <p>A first pass maps every key in the readable log to its latest offset; a second pass rewrites each sealed segment
 * that has something to drop. Batches keep their offsets and producer fields; kafka-clients'
 * {@link MemoryRecords#filterTo} rebuilds them. A tombstone's batch gets a delete horizon (now plus
 * {@code delete.retention.ms}) the first time it is compacted, and the tombstone goes once that horizon has passed,
 * so consumers that read the log within {@code delete.retention.ms} see the deletion.
 *
 * <p>A rewrite is crash-safe: the new file is written as {@code <base>.log.cleaned} and forced, the old indexes are
 * deleted, then the new file is renamed over the old one and the directory forced. A crash leaves the old segment
 * (and a leftover {@code .cleaned} file that opening deletes) or the new one, whose indexes recovery rebuilds.
 *
 * <p>Not thread-safe: the log runs it under its maintenance lock.
 */
final class Compactor {
    private static final int CHUNK_BYTES = 4 << 20;

    private final RealPartitionLog log;
    private final FileLayer files;
    private final Clock clock;

    Compactor(RealPartitionLog log, FileLayer files, Clock clock) {
        this.log = log;
        this.files = files;
        this.clock = clock;
    }

    /** @return the number of segments rewritten or removed */
    int compact(LogConfig config) throws IOException {
        List<Segment> sealed = log.sealedSegments();
        if (sealed.isEmpty()) {
            return 0;
        }
        Map<ByteBuffer, Long> latest = latestOffsets(sealed.getFirst().baseOffset());
        long now = clock.millis();
        int changed = 0;
        for (Segment segment : sealed) {
            if (rewrite(segment, latest, now, config)) {
                changed++;
            }
        }
        return changed;
    }

    private Map<ByteBuffer, Long> latestOffsets(long fromBase) throws IOException {
        Map<ByteBuffer, Long> latest = new HashMap<>();
        LogEnd end = log.readableEnd();
        for (Segment segment : log.segmentsFrom(fromBase)) {
            if (segment.baseOffset() > end.segment().baseOffset()) {
                break;
            }
            int limit = segment == end.segment() ? end.position() : segment.size();
            for (int position = 0; position < limit; ) {
                ByteBuffer chunk = segment.readBatches(position, limit, CHUNK_BYTES);
                if (!chunk.hasRemaining()) {
                    break;
                }
                position += chunk.remaining();
                for (RecordBatch batch : MemoryRecords.readableRecords(chunk).batches()) {
                    if (batch.isControlBatch()) {
                        continue;
                    }
                    for (Record record : batch) {
                        if (record.hasKey()) {
                            latest.put(copy(record.key()), record.offset());
                        }
                    }
                }
            }
        }
        return latest;
    }

    private static ByteBuffer copy(ByteBuffer key) {
        ByteBuffer copy = ByteBuffer.allocate(key.remaining());
        copy.put(key.duplicate()).flip();
        return copy;
    }

    private boolean rewrite(Segment segment, Map<ByteBuffer, Long> latest, long now, LogConfig config)
            throws IOException {
        MemoryRecords.RecordFilter filter = new MemoryRecords.RecordFilter(now, config.deleteRetentionMs()) {
            @Override
            protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
                return new BatchRetentionResult(BatchRetention.DELETE_EMPTY, false);
            }

            @Override
            protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
                if (record.hasKey()) {
                    Long newest = latest.get(record.key());
                    if (newest != null && newest != record.offset()) {
                        return false;
                    }
                }
                if (!record.hasValue() && batch.deleteHorizonMs().isPresent()) {
                    return now < batch.deleteHorizonMs().getAsLong();
                }
                return true;
            }
        };
        Path cleaned = segment.logPath().resolveSibling(segment.logPath().getFileName() + RealPartitionLog.CLEANED_SUFFIX);
        boolean changed = false;
        long written = 0;
        try (FileChannel out = files.open(cleaned, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int limit = segment.size();
            for (int position = 0; position < limit; ) {
                ByteBuffer chunk = segment.readBatches(position, limit, CHUNK_BYTES);
                if (!chunk.hasRemaining()) {
                    break;
                }
                position += chunk.remaining();
                ByteBuffer input = chunk.duplicate();
                ByteBuffer output = ByteBuffer.allocate(chunk.remaining());
                MemoryRecords.FilterResult result = MemoryRecords.readableRecords(chunk).filterTo(
                        log.topicPartition(), filter, output, Integer.MAX_VALUE, BufferSupplier.NO_CACHING);
                ByteBuffer filtered = result.outputBuffer().flip();
                if (!filtered.equals(input)) {
                    changed = true;
                }
                while (filtered.hasRemaining()) {
                    written += out.write(filtered, written);
                }
            }
            if (changed) {
                out.force(true);
            }
        }
        if (!changed) {
            files.delete(cleaned);
            return false;
        }
        Path dir = log.dir();
        files.delete(segment.indexPath());
        files.delete(segment.timeIndexPath());
        // The first segment stays even when empty: its base offset anchors the log start offset across restarts.
        if (written == 0 && segment.baseOffset() != log.firstSegmentBase()) {
            files.delete(cleaned);
            files.delete(segment.logPath());
            files.syncDirectory(dir);
            log.replaceSegment(segment, null);
            return true;
        }
        files.move(cleaned, segment.logPath());
        files.syncDirectory(dir);
        Segment replacement = Segment.open(files, dir, segment.baseOffset(), log.config().indexIntervalBytes(),
                segment.createdAtMs());
        replacement.openIndexes(log.config().maxIndexBytes(), true);
        replacement.recover(false, log.config().maxIndexBytes());
        replacement.seal();
        log.replaceSegment(segment, replacement);
        return true;
    }
}
