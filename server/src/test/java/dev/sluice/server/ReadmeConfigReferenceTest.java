package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.ConfigKey;
import dev.sluice.server.internal.ConfigKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps the configuration reference in the top-level README in step with the keys the server accepts. */
class ReadmeConfigReferenceTest {
    // Surefire runs in the module directory; the README is one level up.
    private static final Path README = Path.of("..", "README.md");

    @Test
    void readmeDocumentsEveryKeyWithItsVariableFlagAndDefault() throws IOException {
        String readme = Files.readString(README);

        for (ConfigKey<?> key : ConfigKeys.ALL) {
            String row = readme.lines().filter(line -> line.startsWith("| `" + key.name() + "` "))
                    .findFirst().orElse("");
            assertThat(row).as("README row for " + key.name()).isNotEmpty();
            assertThat(row).as("README row for " + key.name()).contains("`" + key.envName() + "`");
            if (key.flag() != null) {
                assertThat(row).as("README row for " + key.name()).contains("`" + key.flag() + "`");
            }
            if (key.fallback() instanceof ConfigKey.Fixed(String value)) {
                assertThat(row).as("README row for " + key.name()).contains("`" + value + "`");
            }
        }
    }
}
