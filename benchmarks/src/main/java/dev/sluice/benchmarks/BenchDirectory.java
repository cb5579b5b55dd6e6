package dev.sluice.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A scratch directory for one benchmark run, deleted on {@link #close()}.
 *
 * <p>It lives under {@code $BENCH_DIR} (else the {@code sluice.bench.dir} system property, else the temporary
 * directory) because the disk figures the benchmarks are compared with are measured by {@code bench/log-engine.sh}
 * in that directory: log and {@code dd} must share a filesystem for the ratio to mean anything. The environment
 * variable is the primary channel because JMH's forked JVMs inherit it, while {@code -jvmArgsAppend} on the command
 * line would replace the JVM options the benchmarks declare.
 *
 * <p>Not thread-safe.
 */
final class BenchDirectory implements AutoCloseable {
    private final Path path;

    private BenchDirectory(Path path) {
        this.path = path;
    }

    /** Creates a fresh directory named after {@code prefix} under the benchmark root. */
    static BenchDirectory create(String prefix) throws IOException {
        Path root = root();
        Files.createDirectories(root);
        return new BenchDirectory(Files.createTempDirectory(root, prefix));
    }

    static Path root() {
        String env = System.getenv("BENCH_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("sluice.bench.dir", System.getProperty("java.io.tmpdir")));
    }

    Path path() {
        return path;
    }

    /** Deletes everything under the directory but keeps the directory itself. */
    void clear() {
        deleteTree(path, false);
    }

    @Override
    public void close() {
        deleteTree(path, true);
    }

    static void deleteTree(Path top, boolean includeTop) {
        if (!Files.exists(top)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                if (includeTop || !p.equals(top)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + top, e);
        }
    }
}
