package dev.sluice.sinks.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.github.luben.zstd.ZstdOutputStream;
import dev.sluice.sinks.SinkSpec;
import dev.sluice.sinks.Target;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One slice being written: RFC 4180 CSV with a header row (Jackson's CSV writer does the quoting; empty strings are
 * quoted so that they stay distinct from nulls), compressed with gzip or zstd, counted in compressed bytes.
 * {@link #close()} finishes the compressed stream and fsyncs the file; {@link #checksum()} is then the CRC32C of the
 * file's bytes, which the importer checks before it hands the slice to the target (zstd frames carry no checksum by
 * default, and a target would load a damaged slice's garbage as rows).
 *
 * <p>Rows are encoded and compressed on the sink's compressor thread, {@value #BATCH} at a time, while the writer
 * goes on polling and mapping the next records: on the writer's own thread the two halves together bounded a sink's
 * throughput. At most {@value #IN_FLIGHT} batches wait for the compressor; a writer that gets further ahead waits for
 * the oldest. The CSV writer and the streams under it are used only by the compressor's tasks, one at a time and in
 * order, and by {@link #close()} after the last of them has finished. A compressor's failure surfaces on a later
 * {@link #write} or at {@link #close()}.
 *
 * <p>Not thread-safe: its writer owns it.
 */
final class SliceFile implements AutoCloseable {
    private static final CsvMapper CSV = new CsvMapper();
    /** zstd's fastest regular level: the writer thread bounds a sink's throughput, not the bytes on disk. */
    static final int ZSTD_LEVEL = 1;

    private final Path path;
    private final FileOutputStream file;
    private final Counting counting;
    static final int BATCH = 256;
    static final int IN_FLIGHT = 8;

    private final OutputStream compressed;
    private final Writer text;
    private final SequenceWriter rows;
    private final ExecutorService compressor;
    private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();
    private List<String[]> batch = new ArrayList<>(BATCH);
    private final long openedAt;
    private long records;
    private boolean closed;

    /**
     * @param compressor the sink's compressor thread: the slice's rows are encoded and compressed there while the
     *                   writer goes on with the next records
     */
    SliceFile(Path path, List<Target.Column> columns, String compression, long openedAt,
              ExecutorService compressor) throws IOException {
        this.path = path;
        this.openedAt = openedAt;
        this.file = new FileOutputStream(path.toFile());
        this.counting = new Counting(file);
        this.compressor = compressor;
        this.compressed = compression.equals(SinkSpec.ZSTD) ? new ZstdOutputStream(counting, ZSTD_LEVEL)
                : new FastGzip(counting);
        // The JDK's UTF-8 encoder (an intrinsic for ASCII), not Jackson CSV's own byte writer: ~15% of CSV's cost.
        this.text = new OutputStreamWriter(compressed, StandardCharsets.UTF_8);
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        columns.forEach(column -> schema.addColumn(column.name()));
        this.rows = CSV.writer(schema.build())
                .with(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS)
                .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                // Flushing after each row made zstd end a block per row: 2.2 times the bytes and 3.5 times the CPU
                // of compressing the slice as a stream. The slice is only read once it is closed and fsynced.
                .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                .writeValues(text);
    }

    void write(String[] row) throws IOException {
        batch.add(row);
        records++;
        if (batch.size() == BATCH) {
            handOff();
        }
    }

    private void handOff() throws IOException {
        List<String[]> full = batch;
        batch = new ArrayList<>(BATCH);
        pending.addLast(compressor.submit(() -> {
            for (String[] row : full) {
                rows.write(row);
            }
            return null;
        }));
        while (pending.size() > IN_FLIGHT) {
            await(pending.removeFirst());
        }
    }

    private static void await(Future<?> task) throws IOException {
        try {
            task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("encoding a slice failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a slice was being written");
        }
    }

    /** Waits, uninterruptibly, until no task of this slice runs: the streams are then this thread's. */
    private void quiesce() {
        boolean interrupted = false;
        while (!pending.isEmpty()) {
            Future<?> task = pending.removeFirst();
            while (true) {
                try {
                    task.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    long records() {
        return records;
    }

    /** Compressed bytes written so far (rows waiting for the compressor, or inside it, not included). */
    long bytes() {
        return counting.count;
    }

    long openedAt() {
        return openedAt;
    }

    Path path() {
        return path;
    }

    /** Finishes the CSV and the compressed stream and forces the file to disk. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (file) {
            try {
                if (!batch.isEmpty()) {
                    handOff();
                }
                while (!pending.isEmpty()) {
                    await(pending.removeFirst());
                }
            } catch (IOException e) {
                quiesce();
                try {
                    compressed.close(); // frees the compressor's native state; the slice is discarded anyway
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            rows.close();
            text.flush();
            compressed.close();
            file.getChannel().force(true);
        }
    }

    /** The CRC32C of every byte written to the file; final once closed. */
    long checksum() {
        return counting.crc.getValue();
    }

    /** The CRC32C of a file's bytes, as {@link #checksum()} computed it while writing. */
    static long checksumOf(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[64 * 1024];
        try (var in = java.nio.file.Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    /** Closes without caring for the contents: the slice is being discarded. */
    void abandon() {
        try {
            close();
        } catch (IOException ignored) {
            // discarded anyway
        }
    }

    /** gzip at {@link Deflater#BEST_SPEED}: level 6 (the default) cost about 50 µs per 1 KiB row. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    private static final class Counting extends FilterOutputStream {
        final CRC32C crc = new CRC32C();
        /** Written on the compressor thread, read by the writer for the slice's size condition. */
        volatile long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush(); // the file is forced and closed by the slice
        }
    }
}
