package dev.sluice.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file operations the log engine uses, so that tests can put a layer underneath that forgets every write not
 * yet forced, the way a power cut does. Production uses {@link #SYSTEM}.
 */
public interface FileLayer {

    FileLayer SYSTEM = new FileLayer() {
    };

    /** Opens a file channel. */
    default FileChannel open(Path path, OpenOption... options) throws IOException {
        return FileChannel.open(path, options);
    }

    /**
     * Makes the directory's entries durable: files created, renamed or deleted in it survive a power cut only after
     * this. A no-op where the platform cannot open directories.
     */
    default void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
            // Some platforms refuse to open a directory; there is nothing more the JVM can do there.
        }
    }

    /** Renames atomically, replacing the target. Durable after {@link #syncDirectory} of the target's directory. */
    default void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    default void delete(Path path) throws IOException {
        Files.deleteIfExists(path);
    }
}
