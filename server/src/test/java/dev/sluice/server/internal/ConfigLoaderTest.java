package dev.sluice.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.log.CleanupPolicy;
import dev.sluice.log.FlushPolicy;
import dev.sluice.log.LogConfig;
import dev.sluice.server.SluiceConfig;
import dev.sluice.server.SluiceConfig.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void flagBeatsEnvBeatsFileBeatsDefault() throws IOException {
        writeYaml("""
                node.name: from-file
                kafka.listen: 10.0.0.1:1001
                http.listen: 10.0.0.1:1002
                log.flush: none
                """);
        Map<String, String> env = Map.of(
                "SLUICE_KAFKA_LISTEN", "10.0.0.2:2001",
                "SLUICE_HTTP_LISTEN", "10.0.0.2:2002");

        EffectiveConfig effective = load(env, flag("http.listen", "10.0.0.3:3002"));

        SluiceConfig config = effective.config();
        assertThat(config.httpListen()).isEqualTo(new Address("10.0.0.3", 3002));
        assertThat(config.kafkaListen()).isEqualTo(new Address("10.0.0.2", 2001));
        assertThat(config.nodeName()).isEqualTo("from-file");
        assertThat(config.logConfig().flushPolicy()).isEqualTo(FlushPolicy.NONE);
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(sourceOf(effective, "http.listen")).isEqualTo("flag --http.listen");
        assertThat(sourceOf(effective, "kafka.listen")).isEqualTo("env SLUICE_KAFKA_LISTEN");
        assertThat(sourceOf(effective, "node.name")).isEqualTo("file " + dir.resolve("sluice.yaml"));
        assertThat(sourceOf(effective, "data.dir")).isEqualTo("default");
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        SluiceConfig config = load(Map.of()).config();

        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(config.nodeName()).isEqualTo("test-host");
        assertThat(config.kafkaListen()).isEqualTo(new Address("127.0.0.1", 9092));
        assertThat(config.kafkaAdvertised()).isEqualTo(config.kafkaListen());
        assertThat(config.httpListen()).isEqualTo(new Address("127.0.0.1", 8080));
        assertThat(config.authToken()).isEmpty();
        LogConfig log = config.logConfig();
        assertThat(log.flushPolicy()).isEqualTo(FlushPolicy.ALWAYS);
        assertThat(log.flushIntervalMs()).isEqualTo(1000);
        assertThat(log.segmentBytes()).isEqualTo(1_073_741_824);
        assertThat(log.segmentMs()).isEqualTo(604_800_000L);
        assertThat(log.retentionMs()).isEqualTo(604_800_000L);
        assertThat(log.retentionBytes()).isEqualTo(-1);
        assertThat(log.maxBatchBytes()).isEqualTo(1_048_588);
        assertThat(log.indexIntervalBytes()).isEqualTo(4096);
        assertThat(log.cleanupPolicy()).isEqualTo(CleanupPolicy.DELETE);
        assertThat(log.deleteRetentionMs()).isEqualTo(86_400_000L);
    }

    @Test
    void advertisedAddressDefaultsToTheEffectiveListenAddress() {
        EffectiveConfig effective = load(Map.of("SLUICE_KAFKA_LISTEN", "0.0.0.0:19092"));

        assertThat(effective.config().kafkaAdvertised()).isEqualTo(new Address("0.0.0.0", 19092));
        assertThat(sourceOf(effective, "kafka.advertised")).isEqualTo("default (kafka.listen)");
    }

    @Test
    void nestedAndDottedYamlKeysMeanTheSame() throws IOException {
        writeYaml("""
                data:
                  dir: stored
                log:
                  flush: interval
                  flush.interval.ms: 250
                  retention:
                    ms: 2h
                log.segment.bytes: 65536
                """);

        SluiceConfig config = load(Map.of()).config();

        assertThat(config.dataDir()).isEqualTo(dir.resolve("stored"));
        assertThat(config.logConfig().flushPolicy()).isEqualTo(FlushPolicy.INTERVAL);
        assertThat(config.logConfig().flushIntervalMs()).isEqualTo(250);
        assertThat(config.logConfig().retentionMs()).isEqualTo(7_200_000L);
        assertThat(config.logConfig().segmentBytes()).isEqualTo(65536);
    }

    @Test
    void yamlListIsJoinedWithCommas() throws IOException {
        writeYaml("log:\n  cleanup.policy: [compact, delete]\n");

        assertThat(load(Map.of()).config().logConfig().cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT_DELETE);
    }

    @Test
    void yamlScalarsReachTheKeyAsWritten() throws IOException {
        writeYaml("node.name: 0123\n");

        assertThat(load(Map.of()).config().nodeName()).isEqualTo("0123");
    }

    @Test
    void emptyYamlValueLeavesTheKeyUnset() throws IOException {
        writeYaml("auth:\n  token:\n");

        assertThat(load(Map.of()).config().authToken()).isEmpty();
    }

    @Test
    void emptyYamlFileMeansDefaults() throws IOException {
        writeYaml("");

        assertThat(load(Map.of()).config().nodeName()).isEqualTo("test-host");
    }

    @Test
    void unknownYamlKeyIsRejectedNamingItAndTheFile() throws IOException {
        writeYaml("log:\n  flushh: always\n");

        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'log.flushh'")
                .hasMessageContaining("file " + dir.resolve("sluice.yaml"))
                .hasMessageContaining("known keys: data.dir, node.name");
    }

    @Test
    void keySetTwiceInYamlIsRejected() throws IOException {
        writeYaml("log.flush: none\nlog:\n  flush: always\n");

        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("log.flush is set twice");
    }

    @Test
    void malformedYamlIsRejectedWithItsLine() throws IOException {
        writeYaml("node.name: a\nlog: [unclosed\n");

        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not valid YAML")
                .hasMessageContaining("line");
    }

    @Test
    void yamlThatIsNotAMappingIsRejected() throws IOException {
        writeYaml("- data.dir\n");

        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected keys and values");
    }

    @Test
    void unknownSluiceEnvironmentVariableIsRejectedNamingIt() {
        assertThatThrownBy(() -> load(Map.of("SLUICE_DATADIR", "/tmp/x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown environment variable SLUICE_DATADIR")
                .hasMessageContaining("SLUICE_DATA_DIR");
    }

    @Test
    void variablesForTheLauncherAndClientAndOtherProgramsAreNotRejected() {
        Map<String, String> env = Map.of("SLUICE_URL", "http://localhost:8080", "SLUICE_JAVA_OPTS", "-Xmx1g",
                "PATH", "/usr/bin", "KAFKA_HEAP_OPTS", "-Xmx1g");

        assertThat(load(env).config().nodeName()).isEqualTo("test-host");
    }

    @Test
    void emptyEnvironmentVariableCountsAsUnset() {
        assertThat(load(Map.of("SLUICE_AUTH_TOKEN", "")).config().authToken()).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            SLUICE_KAFKA_LISTEN       | localhost       | kafka.listen             | host:port
            SLUICE_KAFKA_LISTEN       | localhost:99999 | kafka.listen             | port 99999 is out of range
            SLUICE_HTTP_LISTEN        | 127.0.0.1:http  | http.listen              | host:port
            SLUICE_LOG_SEGMENT_BYTES  | -1              | log.segment.bytes        | an integer from 1024 to 2147483647
            SLUICE_LOG_SEGMENT_BYTES  | 1g              | log.segment.bytes        | an integer from 1024 to 2147483647
            SLUICE_LOG_FLUSH          | sometimes       | log.flush                | always, interval or none
            SLUICE_LOG_CLEANUP_POLICY | keep            | log.cleanup.policy       | delete, compact or compact,delete
            SLUICE_LOG_RETENTION_MS   | -2              | log.retention.ms         | -1 (keeps forever) or more
            SLUICE_LOG_SEGMENT_MS     | 7 days          | log.segment.ms           | 500ms, 30s, 15m, 2h, 7d
            SLUICE_LOG_FLUSH_INTERVAL_MS | 0            | log.flush.interval.ms    | at least 1 ms
            SLUICE_NODE_NAME          | my node         | node.name                | letters, digits
            """)
    void badValueIsRejectedNamingKeySourceAndAcceptedValues(String variable, String value, String key,
                                                             String accepted) {
        assertThatThrownBy(() -> load(Map.of(variable, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining(key)
                .hasMessageContaining("env " + variable)
                .hasMessageContaining(accepted);
    }

    @Test
    void badValueInTheFileNamesTheFile() throws IOException {
        writeYaml("log:\n  segment.bytes: -1\n");

        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("log.segment.bytes")
                .hasMessageContaining("file " + dir.resolve("sluice.yaml"))
                .hasMessageContaining("an integer from 1024");
    }

    @Test
    void badValueIsRejectedEvenWhenAHigherSourceOverridesIt() throws IOException {
        writeYaml("log.flush: sometimes\n");

        assertThatThrownBy(() -> load(Map.of("SLUICE_LOG_FLUSH", "always")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("log.flush")
                .hasMessageContaining("file ");
    }

    @Test
    void tokenIsNeverEchoedInErrors() {
        assertThatThrownBy(() -> load(Map.of("SLUICE_AUTH_TOKEN", "secret with spaces")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.token")
                .hasMessageNotContaining("secret with spaces");
    }

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({"1000, 1000", "500ms, 500", "30s, 30000", "15m, 900000", "2h, 7200000", "7d, 604800000",
            "-1, -1"})
    void durationsAcceptMillisecondsOrAUnit(String value, long millis) {
        SluiceConfig config = load(Map.of("SLUICE_LOG_RETENTION_MS", value)).config();

        assertThat(config.logConfig().retentionMs()).isEqualTo(millis);
    }

    @Test
    void ipv6AddressesAreWrittenInBrackets() {
        SluiceConfig config = load(Map.of("SLUICE_KAFKA_LISTEN", "[::1]:9093")).config();

        assertThat(config.kafkaListen()).isEqualTo(new Address("::1", 9093));
        assertThat(config.kafkaListen()).hasToString("[::1]:9093");
    }

    @Test
    void configFileNamedByFlagWinsOverEnvAndWorkingDirectory() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "node.name: from-a\n");
        Files.writeString(dir.resolve("b.yaml"), "node.name: from-b\n");
        writeYaml("node.name: from-cwd\n");

        EffectiveConfig effective = loader(Map.of("SLUICE_CONFIG", "b.yaml")).load(Optional.of("a.yaml"), List.of());

        assertThat(effective.config().nodeName()).isEqualTo("from-a");
    }

    @Test
    void configFileNamedByEnvWinsOverWorkingDirectory() throws IOException {
        Files.writeString(dir.resolve("b.yaml"), "node.name: from-b\n");
        writeYaml("node.name: from-cwd\n");

        assertThat(load(Map.of("SLUICE_CONFIG", "b.yaml")).config().nodeName()).isEqualTo("from-b");
    }

    @Test
    void missingConfigFileThatWasNamedIsRejected() {
        assertThatThrownBy(() -> loader(Map.of()).load(Optional.of("absent.yaml"), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.resolve("absent.yaml").toString())
                .hasMessageContaining("flag --config");
    }

    @Test
    void sameKeyFromTwoFlagsIsRejected() {
        assertThatThrownBy(() -> load(Map.of(), flag("data.dir", "a"),
                new Setting("data.dir", "b", Source.flag("--set"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("data.dir is given twice");
    }

    @Test
    void unknownKeyFromSetFlagIsRejected() {
        assertThatThrownBy(() -> load(Map.of(), new Setting("log.flsh", "none", Source.flag("--set"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'log.flsh' from flag --set");
    }

    @Test
    void absoluteDataDirIsKeptAndRelativeOneResolvesAgainstTheWorkingDirectory() {
        Path absolute = dir.resolve("elsewhere").toAbsolutePath();

        assertThat(load(Map.of("SLUICE_DATA_DIR", absolute.toString())).config().dataDir()).isEqualTo(absolute);
        assertThat(load(Map.of("SLUICE_DATA_DIR", "rel/../x")).config().dataDir()).isEqualTo(dir.resolve("x"));
    }

    private ConfigLoader loader(Map<String, String> env) {
        return new ConfigLoader(env, dir, () -> "test-host");
    }

    private EffectiveConfig load(Map<String, String> env, Setting... flags) {
        return loader(env).load(Optional.empty(), List.of(flags));
    }

    private static Setting flag(String key, String value) {
        return new Setting(key, value, Source.flag("--" + key));
    }

    private void writeYaml(String yaml) throws IOException {
        Files.writeString(dir.resolve("sluice.yaml"), yaml);
    }

    private static String sourceOf(EffectiveConfig effective, String key) {
        return effective.values().stream().filter(value -> value.key().name().equals(key)).findFirst()
                .orElseThrow().source().description();
    }
}
