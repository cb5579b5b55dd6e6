package dev.sluice.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.log.CleanupPolicy;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataLogTest {
    @TempDir
    Path dir;

    @Test
    void metadataIsCompactedAndNeverExpiresAfterARestart() throws Exception {
        try (LogManager logs = LogManager.open(dir, LogConfig.defaults())) {
            new MetadataLog(logs, logs.defaults()).write("topic/a", "{}");
        }
        try (LogManager logs = LogManager.open(dir, LogConfig.defaults())) {
            MetadataLog metadata = new MetadataLog(logs, logs.defaults());

            assertThat(metadata.config().cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
            assertThat(metadata.config().retentionMs()).isEqualTo(-1);
            Map<String, String> replayed = new LinkedHashMap<>();
            metadata.replay(replayed::put);
            assertThat(replayed).containsEntry("topic/a", "{}");
        }
    }
}
