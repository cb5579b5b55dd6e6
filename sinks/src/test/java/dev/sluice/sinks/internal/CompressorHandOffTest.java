package dev.sluice.sinks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompressorHandOffTest {
    private final ExecutorService compressor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        compressor.shutdownNow();
    }

    @Test
    void bytesWrittenInPiecesOfAnySizeComeOutCompressedInOrder() throws IOException {
        byte[] data = new byte[CompressorHandOff.CHUNK * (CompressorHandOff.IN_FLIGHT + 3) + 12_345];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (CompressorHandOff out = new CompressorHandOff(new GZIPOutputStream(file), compressor)) {
            Random sizes = new Random(11);
            int at = 0;
            while (at < data.length) {
                if (sizes.nextInt(10) == 0) {
                    out.write(data[at++]);
                    continue;
                }
                int n = Math.min(data.length - at, sizes.nextInt(3 * CompressorHandOff.CHUNK / 2));
                out.write(data, at, n);
                at += n;
            }
        }
        assertThat(new GZIPInputStream(new ByteArrayInputStream(file.toByteArray())).readAllBytes()).isEqualTo(data);
    }

    @Test
    void aFailingCompressorIsReportedToTheWriterAndTheStreamIsStillClosed() {
        boolean[] closed = {false};
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        CompressorHandOff out = new CompressorHandOff(broken, compressor);
        byte[] chunk = new byte[CompressorHandOff.CHUNK];
        assertThatThrownBy(() -> {
            for (int i = 0; i < CompressorHandOff.IN_FLIGHT + 2; i++) {
                out.write(chunk);
            }
            out.close();
        }).isInstanceOf(IOException.class).hasMessage("disk full");
        // The chunks still in flight failed too: close says so, and closes the compressed stream all the same.
        assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(closed[0]).isTrue();
    }
}
