package dev.sluice.server.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Base of the CLI tests that talk to a server: one real Sluice per test class, and a CLI pointed at it. */
abstract class LiveSluiceTest {
    @TempDir
    static Path dir;

    static LiveSluice sluice;
    static CliRunner cli;

    @BeforeAll
    static void startSluice() throws IOException {
        sluice = LiveSluice.start(dir);
        cli = sluice.cli();
    }

    @AfterAll
    static void stopSluice() {
        if (sluice != null) {
            sluice.close();
            sluice = null;
        }
    }
}
