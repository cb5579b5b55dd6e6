package dev.sluice.sinks.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Hands a slice's CSV bytes to the sink's compressor thread in chunks of {@value #CHUNK} bytes, so that compressing
 * one chunk overlaps writing the next rows: on the writer's own thread the two together bounded a sink's throughput.
 * At most {@value #IN_FLIGHT} chunks wait for the compressor; a writer that gets further ahead waits for the oldest.
 * The compressed stream is written only by the compressor's tasks, one at a time and in order, and is closed here
 * after the last of them has finished. A compressor's failure surfaces on the next hand-off or at close.
 *
 * <p>Not thread-safe: its slice's writer owns it.
 */
final class CompressorHandOff extends OutputStream {
    static final int CHUNK = 256 * 1024;
    static final int IN_FLIGHT = 4;

    private final OutputStream compressed;
    private final ExecutorService compressor;
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private byte[] chunk = new byte[CHUNK];
    private int used;
    private boolean closed;

    CompressorHandOff(OutputStream compressed, ExecutorService compressor) {
        this.compressed = compressed;
        this.compressor = compressor;
    }

    @Override
    public void write(int b) throws IOException {
        if (used == CHUNK) {
            handOff();
        }
        chunk[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (used == CHUNK) {
                handOff();
            }
            int n = Math.min(len, CHUNK - used);
            System.arraycopy(b, off, chunk, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    /** Nothing is read before the slice is closed, so there is nothing to push through early. */
    @Override
    public void flush() {
    }

    /** Compresses what is left, waits for every chunk and closes the compressed stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (used > 0) {
                handOff();
            }
            while (!pending.isEmpty()) {
                await(pending.removeFirst());
            }
        } finally {
            // Whatever happened, every task must have finished before the stream is this thread's again.
            boolean interrupted = false;
            while (!pending.isEmpty()) {
                Future<byte[]> task = pending.removeFirst();
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
            compressed.close();
        }
    }

    private void handOff() throws IOException {
        byte[] full = chunk;
        int length = used;
        pending.addLast(compressor.submit(() -> {
            compressed.write(full, 0, length);
            return full;
        }));
        chunk = spare.isEmpty() ? new byte[CHUNK] : spare.removeFirst();
        used = 0;
        while (pending.size() > IN_FLIGHT) {
            spare.addLast(await(pending.removeFirst()));
        }
    }

    private static byte[] await(Future<byte[]> task) throws IOException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("compressing a slice failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a slice was being compressed");
        }
    }
}
