package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.log.FlushPolicy;
import dev.sluice.server.SluiceConfig.Address;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SluiceConfigTest {
    @TempDir
    Path dir;

    @Test
    void fromSettingsAppliesTheSettingsOverDefaults() {
        SluiceConfig config = SluiceConfig.fromSettings(Map.of("data.dir", dir.toString(), "log.flush", "interval",
                "kafka.listen", "0.0.0.0:19092"));

        assertThat(config.dataDir()).isEqualTo(dir);
        assertThat(config.logDir()).isEqualTo(dir.resolve("log"));
        assertThat(config.logConfig().flushPolicy()).isEqualTo(FlushPolicy.INTERVAL);
        assertThat(config.kafkaAdvertised()).isEqualTo(new Address("0.0.0.0", 19092));
        assertThat(config.httpListen()).isEqualTo(new Address("127.0.0.1", 8080));
    }

    @Test
    void fromSettingsRejectsAnUnknownKeyByName() {
        assertThatThrownBy(() -> SluiceConfig.fromSettings(Map.of("log.flush.policy", "always")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key 'log.flush.policy'");
    }

    @Test
    void toStringMasksTheAuthToken() {
        SluiceConfig config = SluiceConfig.fromSettings(Map.of("data.dir", dir.toString(), "auth.token", "s3cret"));

        assertThat(config.authToken()).contains("s3cret");
        assertThat(config.toString()).contains("authToken=****").doesNotContain("s3cret");
    }

    @Test
    void addressRejectsAPortOutOfRange() {
        assertThatThrownBy(() -> new Address("localhost", 65536)).isInstanceOf(IllegalArgumentException.class);
    }
}
