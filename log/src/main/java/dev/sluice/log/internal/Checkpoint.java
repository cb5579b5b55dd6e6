package dev.sluice.log.internal;

import dev.sluice.log.FileLayer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A single number kept in a small text file, replaced atomically: written to a temporary file, forced, renamed over
 * the old one, and the directory forced. A crash leaves either the old or the new value.
 */
final class Checkpoint {
    private final FileLayer files;
    private final Path path;

    Checkpoint(FileLayer files, Path path) {
        this.files = files;
        this.path = path;
    }

    /** The stored value, or {@code fallback} when the file is missing or unreadable. */
    long read(long fallback) {
        try {
            if (!Files.exists(path)) {
                return fallback;
            }
            return Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return fallback;
        }
    }

    void write(long value) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel channel = files.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        files.move(tmp, path);
        files.syncDirectory(path.getParent());
    }
}
