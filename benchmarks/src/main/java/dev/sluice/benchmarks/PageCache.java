package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Evicts files from the Linux page cache and reports how much of a file it holds, through coreutils and util-linux
 * because the JDK has no {@code posix_fadvise} and {@code /proc/sys/vm/drop_caches} needs root on the host.
 *
 * <p>Only clean pages are evicted, so callers force files first (a clean close of the log does).
 */
final class PageCache {
    private PageCache() {
    }

    /** {@code dd iflag=nocache count=0}: {@code posix_fadvise(POSIX_FADV_DONTNEED)} over the whole file. */
    static void drop(Path file) throws IOException, InterruptedException {
        Process dd = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none")
                .redirectErrorStream(true).start();
        String output = new String(dd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (dd.waitFor() != 0) {
            throw new IOException("cannot drop " + file + " from the page cache: " + output.strip());
        }
    }

    /** Bytes of the file in the page cache per {@code fincore}, or -1 when fincore is not available. */
    static long residentBytes(Path file) {
        try {
            Process fincore = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES",
                    file.toString()).redirectErrorStream(true).start();
            String output = new String(fincore.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return fincore.waitFor() == 0 ? Long.parseLong(output) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
