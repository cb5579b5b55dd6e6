package dev.sluice.sinks.internal;

import dev.sluice.sinks.Staging;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Staging in a local directory: a slice is renamed into {@code <dir>/<sink>/} and the directory forced, so a staged
 * slice survives a crash. Keys are {@code <sink>/<file name>}.
 *
 * <p>Thread-safe (the file system is).
 */
public final class LocalStaging implements Staging {
    private final Path dir;

    public LocalStaging(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    @Override
    public String stage(Path slice, String key) throws IOException {
        Path target = dir.resolve(key);
        Files.createDirectories(target.getParent());
        Files.move(slice, target, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel channel = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            channel.force(true);
        }
        return key;
    }

    @Override
    public Path localCopy(String key) {
        return dir.resolve(key);
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(dir.resolve(key));
    }

    @Override
    public void clear(String sink) throws IOException {
        Path sinkDir = dir.resolve(sink);
        if (!Files.exists(sinkDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(sinkDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
