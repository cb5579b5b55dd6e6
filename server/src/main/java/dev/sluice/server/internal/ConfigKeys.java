package dev.sluice.server.internal;

import dev.sluice.log.CleanupPolicy;
import dev.sluice.log.FlushPolicy;
import dev.sluice.server.SluiceConfig.Address;
import dev.sluice.server.internal.ConfigKey.Derived;
import dev.sluice.server.internal.ConfigKey.Fixed;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalog of every configuration key Sluice accepts; a key not listed here is rejected wherever it appears.
 *
 * <p>The log keys mirror {@link dev.sluice.log.LogConfig} and are the defaults for every partition.
 */
public final class ConfigKeys {

    public static final ConfigKey<Path> DATA_DIR = new ConfigKey<>("data.dir", ValueType.path(),
            new Fixed("./data"), "--data-dir",
            "Directory for all data; the log engine keeps partitions in <data.dir>/log.");
    public static final ConfigKey<String> NODE_NAME = new ConfigKey<>("node.name", ValueType.name(),
            new Derived("the host name"), "--node-name", "This node's name, shown in logs.");
    public static final ConfigKey<Address> KAFKA_LISTEN = new ConfigKey<>("kafka.listen", ValueType.address(),
            new Fixed("127.0.0.1:9092"), "--kafka-listen",
            "Address the Kafka listener binds.");
    public static final ConfigKey<Address> KAFKA_ADVERTISED = new ConfigKey<>("kafka.advertised",
            ValueType.address(), new Derived("kafka.listen"), null,
            "Address Kafka clients are told to connect to; set it when listening on 0.0.0.0.");
    public static final ConfigKey<Address> HTTP_LISTEN = new ConfigKey<>("http.listen", ValueType.address(),
            new Fixed("127.0.0.1:8080"), "--http-listen", "Address of the HTTP listener: REST API, HTTP sources, health, metrics.");
    public static final ConfigKey<String> AUTH_TOKEN = new ConfigKey<>("auth.token", ValueType.token(),
            new Derived("none"), null, "Token clients must present; without it Sluice runs open and warns at start.");

    public static final ConfigKey<String> SERVICES_SECRETS_KEY = new ConfigKey<>("services.secrets.key",
            ValueType.token(), new Derived("a key file generated in <data.dir>/services"), null,
            "Base64 of the 32-byte AES key that seals services' secrets; every node of a cluster needs the same one.");

    public static final ConfigKey<FlushPolicy> LOG_FLUSH = new ConfigKey<>("log.flush", ValueType.flushPolicy(),
            new Fixed("always"), null,
            "When appends reach the disk: always (fsync before acknowledging), interval, or none (the OS decides).");
    public static final ConfigKey<Long> LOG_FLUSH_INTERVAL_MS = new ConfigKey<>("log.flush.interval.ms",
            ValueType.millis(1, null), new Fixed("1000"), null, "How often log.flush=interval forces logs to disk.");
    public static final ConfigKey<Integer> LOG_SEGMENT_BYTES = new ConfigKey<>("log.segment.bytes",
            ValueType.integer(1024, Integer.MAX_VALUE), new Fixed("1073741824"), null,
            "Roll to a new segment file when the active one would grow past this size.");
    public static final ConfigKey<Long> LOG_SEGMENT_MS = new ConfigKey<>("log.segment.ms",
            ValueType.millis(1, null), new Fixed("604800000"), null,
            "Roll to a new segment file when the active one is older than this.");
    public static final ConfigKey<Long> LOG_RETENTION_MS = new ConfigKey<>("log.retention.ms",
            ValueType.millis(-1, "keeps forever"), new Fixed("604800000"), null,
            "Delete segments whose newest record is older than this.");
    public static final ConfigKey<Long> LOG_RETENTION_BYTES = new ConfigKey<>("log.retention.bytes",
            ValueType.longAtLeast(-1, "keeps all"), new Fixed("-1"), null,
            "Delete the oldest segments while a partition is larger than this.");
    public static final ConfigKey<Integer> LOG_MAX_BATCH_BYTES = new ConfigKey<>("log.max.batch.bytes",
            ValueType.integer(1, Integer.MAX_VALUE), new Fixed("1048588"), null,
            "Largest record batch a produce may append (Kafka's max.message.bytes).");
    public static final ConfigKey<Integer> LOG_INDEX_INTERVAL_BYTES = new ConfigKey<>("log.index.interval.bytes",
            ValueType.integer(0, Integer.MAX_VALUE), new Fixed("4096"), null,
            "Bytes of log between two entries of the sparse offset and time indexes.");
    public static final ConfigKey<CleanupPolicy> LOG_CLEANUP_POLICY = new ConfigKey<>("log.cleanup.policy",
            ValueType.cleanupPolicy(), new Fixed("delete"), null,
            "What happens to old data: delete whole segments, compact to the latest record per key, or both.");
    public static final ConfigKey<Long> LOG_DELETE_RETENTION_MS = new ConfigKey<>("log.delete.retention.ms",
            ValueType.millis(0, null), new Fixed("86400000"), null,
            "How long compaction keeps a tombstone (a record with a null value).");

    /** Every key, in the order the configuration reference and {@code sluice config} list them. */
    public static final List<ConfigKey<?>> ALL = List.of(DATA_DIR, NODE_NAME, KAFKA_LISTEN, KAFKA_ADVERTISED,
            HTTP_LISTEN, AUTH_TOKEN, SERVICES_SECRETS_KEY, LOG_FLUSH, LOG_FLUSH_INTERVAL_MS, LOG_SEGMENT_BYTES, LOG_SEGMENT_MS,
            LOG_RETENTION_MS, LOG_RETENTION_BYTES, LOG_MAX_BATCH_BYTES, LOG_INDEX_INTERVAL_BYTES,
            LOG_CLEANUP_POLICY, LOG_DELETE_RETENTION_MS);

    /** Names the config file location, not a key. */
    public static final String CONFIG_FILE_ENV = "SLUICE_CONFIG";

    /**
     * {@code SLUICE_} variables that are not keys but belong to Sluice, so they are not "unknown": the config file,
     * the server URL of the future CLI client, and the JVM options the {@code ./sluice} launcher passes to java.
     */
    public static final Set<String> OTHER_ENV = Set.of(CONFIG_FILE_ENV, "SLUICE_URL", "SLUICE_JAVA_OPTS");

    private static final Map<String, ConfigKey<?>> BY_NAME = index(ConfigKey::name);
    private static final Map<String, ConfigKey<?>> BY_ENV = index(ConfigKey::envName);

    private ConfigKeys() {
    }

    public static Optional<ConfigKey<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static Optional<ConfigKey<?>> byEnv(String variable) {
        return Optional.ofNullable(BY_ENV.get(variable));
    }

    /** The key a dedicated flag sets. */
    public static ConfigKey<?> byFlag(String flag) {
        return ALL.stream().filter(key -> flag.equals(key.flag())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no key has flag " + flag));
    }

    public static String names() {
        return ALL.stream().map(ConfigKey::name).collect(Collectors.joining(", "));
    }

    private static Map<String, ConfigKey<?>> index(Function<ConfigKey<?>, String> by) {
        return ALL.stream().collect(Collectors.toUnmodifiableMap(by, key -> key));
    }
}
