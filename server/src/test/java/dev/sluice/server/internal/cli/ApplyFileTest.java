package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.internal.ConfigException;
import dev.sluice.server.internal.cli.ApplyFile.SourceSpec;
import dev.sluice.server.internal.cli.ApplyFile.TopicSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyFileTest {

    @Test
    void readsTopicsAndSourcesWithUnquotedNumbersAsConfigValues() {
        ApplyFile file = read("""
                topics:
                  - name: orders
                    partitions: 3
                    configs: {retention.ms: 86400000, cleanup.policy: compact}
                  - name: audit
                sources:
                  - name: web
                    topic: orders
                    headers: [User-Agent]
                    corsOrigins: ["https://shop.example"]
                    enabled: true
                """);

        assertThat(file.topics()).containsExactly(
                new TopicSpec("orders", 3, Map.of("retention.ms", "86400000", "cleanup.policy", "compact")),
                new TopicSpec("audit", null, Map.of()));
        assertThat(file.sources()).containsExactly(new SourceSpec("web", "orders", List.of("User-Agent"),
                List.of("https://shop.example"), true));
    }

    @Test
    void emptyFileAppliesNothing() {
        assertThat(read("")).isEqualTo(new ApplyFile(List.of(), List.of(), List.of()));
        assertThat(read("topics: []\n").sources()).isEmpty();
    }

    @Test
    void unknownKeyInATopicNamesTheKeyTheLineAndTheKnownKeys() {
        assertThatThrownBy(() -> read("""
                topics:
                  - name: orders
                    partiton: 6
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("apply.yaml line 3: unknown key 'partiton' in topics[0]; "
                        + "known keys: configs, name, partitions");
    }

    @Test
    void unknownTopLevelKeyIsNamed() {
        assertThatThrownBy(() -> read("topics: []\nsink: []\n"))
                .hasMessage("apply.yaml line 2: unknown key 'sink' at the top level; known keys: sinks, sources, "
                        + "topics");
    }

    @Test
    void unknownKeyInASourceIsNamed() {
        assertThatThrownBy(() -> read("""
                sources:
                  - name: web
                    topic: orders
                    cors: ["*"]
                """))
                .hasMessageStartingWith("apply.yaml line 4: unknown key 'cors' in sources[0]; known keys: ");
    }

    @Test
    void wrongTypeNamesTheKeyAndTheLine() {
        assertThatThrownBy(() -> read("""
                topics:
                  - name: orders
                    partitions: many
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("apply.yaml line 3: topics[0].partitions should be a whole number");
        assertThatThrownBy(() -> read("topics:\n  - name: orders\n    partitions: 2.5\n"))
                .hasMessage("apply.yaml line 3: topics[0].partitions should be a whole number");
        assertThatThrownBy(() -> read("sources:\n  - name: web\n    topic: t\n    headers: User-Agent\n"))
                .hasMessage("apply.yaml line 4: sources[0].headers should be a list");
    }

    @Test
    void aListAtTheTopLevelIsRefused() {
        assertThatThrownBy(() -> read("- name: orders\n"))
                .hasMessageStartingWith("apply.yaml line 1: the file should be a mapping");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertThatThrownBy(() -> read("topics:\n  - name: orders\n\tpartitions: 3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("apply.yaml is not valid YAML line 3: ");
    }

    @Test
    void duplicateKeyIsRefused() {
        assertThatThrownBy(() -> read("topics:\n  - name: a\n    name: b\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 3").hasMessageContaining("name");
    }

    @Test
    void resourcesWithoutNamesOrTwiceOrWithZeroPartitionsAreRefused() {
        assertThatThrownBy(() -> read("topics:\n  - partitions: 3\n"))
                .hasMessage("apply.yaml: topics[0] has no name");
        assertThatThrownBy(() -> read("topics:\n  - name: a\n  - name: a\n"))
                .hasMessage("apply.yaml: topics[1] (a): topic a is listed twice");
        assertThatThrownBy(() -> read("topics:\n  - name: a\n    partitions: 0\n"))
                .hasMessage("apply.yaml: topics[0] (a): partitions must be at least 1, got 0");
        assertThatThrownBy(() -> read("topics:\n  - name: a\n    configs: {retention.ms: }\n"))
                .hasMessage("apply.yaml: topics[0] (a): config retention.ms has no value");
        assertThatThrownBy(() -> read("sources:\n  - name: web\n"))
                .hasMessage("apply.yaml: sources[0] (web) has no topic");
        assertThatThrownBy(() -> read("sources:\n  - name: 'web hook'\n    topic: t\n"))
                .hasMessageContaining("sources[0] (web hook): a source name has 1 to 100 letters");
    }

    private static ApplyFile read(String yaml) {
        return ApplyFile.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "apply.yaml");
    }
}
