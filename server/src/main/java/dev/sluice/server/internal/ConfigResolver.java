package dev.sluice.server.internal;

import static dev.sluice.server.internal.ConfigKeys.AUTH_TOKEN;
import static dev.sluice.server.internal.ConfigKeys.SERVICES_SECRETS_KEY;
import static dev.sluice.server.internal.ConfigKeys.DATA_DIR;
import static dev.sluice.server.internal.ConfigKeys.HTTP_LISTEN;
import static dev.sluice.server.internal.ConfigKeys.KAFKA_ADVERTISED;
import static dev.sluice.server.internal.ConfigKeys.KAFKA_LISTEN;
import static dev.sluice.server.internal.ConfigKeys.LOG_CLEANUP_POLICY;
import static dev.sluice.server.internal.ConfigKeys.LOG_DELETE_RETENTION_MS;
import static dev.sluice.server.internal.ConfigKeys.LOG_FLUSH;
import static dev.sluice.server.internal.ConfigKeys.LOG_FLUSH_INTERVAL_MS;
import static dev.sluice.server.internal.ConfigKeys.LOG_INDEX_INTERVAL_BYTES;
import static dev.sluice.server.internal.ConfigKeys.LOG_MAX_BATCH_BYTES;
import static dev.sluice.server.internal.ConfigKeys.LOG_RETENTION_BYTES;
import static dev.sluice.server.internal.ConfigKeys.LOG_RETENTION_MS;
import static dev.sluice.server.internal.ConfigKeys.LOG_SEGMENT_BYTES;
import static dev.sluice.server.internal.ConfigKeys.LOG_SEGMENT_MS;
import static dev.sluice.server.internal.ConfigKeys.NODE_NAME;

import dev.sluice.log.LogConfig;
import dev.sluice.server.SluiceConfig;
import dev.sluice.server.internal.ConfigKey.Fixed;
import dev.sluice.server.internal.EffectiveConfig.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns raw settings from every source into one validated {@link SluiceConfig}: the highest-precedence source wins
 * per key, the rest falls back to defaults.
 *
 * <p>Every value given is validated, including ones a higher source overrides: a broken {@code sluice.yaml} fails
 * now rather than on the day the overriding variable is removed.
 */
public final class ConfigResolver {
    private final Path workingDir;
    private final Supplier<String> hostName;

    /**
     * @param workingDir what a relative {@code data.dir} is relative to
     * @param hostName   the default node name; asked only when no source sets one
     */
    public ConfigResolver(Path workingDir, Supplier<String> hostName) {
        this.workingDir = workingDir;
        this.hostName = hostName;
    }

    /** @throws ConfigException for an unknown key, an invalid value, or a key one source gives twice */
    public EffectiveConfig resolve(List<Setting> given) {
        Map<ConfigKey<?>, Value> chosen = new LinkedHashMap<>();
        for (Setting setting : given) {
            ConfigKey<?> key = ConfigKeys.byName(setting.key()).orElseThrow(() -> new ConfigException(
                    "unknown key '" + setting.key() + "' from " + setting.source() + "; known keys: "
                            + ConfigKeys.names()));
            Value value = new Value(key, setting, key.parse(setting));
            Value previous = chosen.get(key);
            if (previous != null && previous.source().kind() == setting.source().kind()) {
                throw new ConfigException(key.name() + " is given twice: by " + previous.source() + " and by "
                        + setting.source());
            }
            if (previous == null || setting.source().kind().compareTo(previous.source().kind()) > 0) {
                chosen.put(key, value);
            }
        }
        List<Value> values = new ArrayList<>();
        Map<ConfigKey<?>, Value> effective = new LinkedHashMap<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            Optional<Value> value = Optional.ofNullable(chosen.get(key)).or(() -> fallback(key, effective));
            value.ifPresent(v -> {
                effective.put(key, v);
                values.add(v);
            });
        }
        return new EffectiveConfig(build(effective), values);
    }

    private Optional<Value> fallback(ConfigKey<?> key, Map<ConfigKey<?>, Value> effective) {
        Setting setting;
        if (key.fallback() instanceof Fixed(String value)) {
            setting = new Setting(key.name(), value, Source.defaults());
        } else if (key == NODE_NAME) {
            setting = new Setting(key.name(), hostName.get(), Source.derivedDefault("host name"));
        } else if (key == KAFKA_ADVERTISED) {
            setting = new Setting(key.name(), effective.get(KAFKA_LISTEN).setting().value(),
                    Source.derivedDefault("kafka.listen"));
        } else if (key == AUTH_TOKEN || key == SERVICES_SECRETS_KEY) {
            return Optional.empty();
        } else {
            throw new IllegalStateException("no default for " + key.name());
        }
        return Optional.of(new Value(key, setting, key.parse(setting)));
    }

    private SluiceConfig build(Map<ConfigKey<?>, Value> values) {
        LogConfig logConfig;
        try {
            logConfig = LogConfig.builder()
                    .flushPolicy(get(values, LOG_FLUSH))
                    .flushIntervalMs(get(values, LOG_FLUSH_INTERVAL_MS))
                    .segmentBytes(get(values, LOG_SEGMENT_BYTES))
                    .segmentMs(get(values, LOG_SEGMENT_MS))
                    .retentionMs(get(values, LOG_RETENTION_MS))
                    .retentionBytes(get(values, LOG_RETENTION_BYTES))
                    .maxBatchBytes(get(values, LOG_MAX_BATCH_BYTES))
                    .indexIntervalBytes(get(values, LOG_INDEX_INTERVAL_BYTES))
                    .cleanupPolicy(get(values, LOG_CLEANUP_POLICY))
                    .deleteRetentionMs(get(values, LOG_DELETE_RETENTION_MS))
                    .build();
        } catch (IllegalArgumentException e) {
            // Our keys check the log engine's limits already; this catches a limit it added since.
            throw new ConfigException("invalid log settings: " + e.getMessage(), e);
        }
        Optional<String> token = Optional.ofNullable(values.get(AUTH_TOKEN)).map(v -> (String) v.parsed());
        return new SluiceConfig(
                workingDir.resolve(get(values, DATA_DIR)).toAbsolutePath().normalize(),
                get(values, NODE_NAME),
                get(values, KAFKA_LISTEN),
                get(values, KAFKA_ADVERTISED),
                get(values, HTTP_LISTEN),
                token,
                Optional.ofNullable(values.get(SERVICES_SECRETS_KEY)).map(v -> (String) v.parsed()),
                logConfig);
    }

    @SuppressWarnings("unchecked") // each Value holds what its key's parser returned
    private static <T> T get(Map<ConfigKey<?>, Value> values, ConfigKey<T> key) {
        return (T) values.get(key).parsed();
    }
}
