package dev.sluice.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads settings from {@code SLUICE_*} environment variables and rejects the ones Sluice does not know, since a
 * misspelt variable would otherwise be silently ignored.
 *
 * <p>An empty variable counts as unset, as container tools write {@code SLUICE_AUTH_TOKEN=} for "no value".
 */
public final class EnvSettings {
    private static final String PREFIX = "SLUICE_";

    private EnvSettings() {
    }

    /** @throws ConfigException listing every unknown {@code SLUICE_} variable */
    public static List<Setting> read(Map<String, String> env) {
        List<Setting> settings = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        new TreeMap<>(env).forEach((name, value) -> {
            if (!name.startsWith(PREFIX) || ConfigKeys.OTHER_ENV.contains(name)) {
                return;
            }
            ConfigKeys.byEnv(name).ifPresentOrElse(key -> {
                if (!value.isEmpty()) {
                    settings.add(new Setting(key.name(), value, Source.env(name)));
                }
            }, () -> unknown.add(name));
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown environment variable" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + "; accepted: " + acceptedNames());
        }
        return settings;
    }

    private static String acceptedNames() {
        List<String> names = new ArrayList<>(ConfigKeys.ALL.stream().map(ConfigKey::envName).toList());
        names.addAll(ConfigKeys.OTHER_ENV.stream().sorted().toList());
        return names.stream().collect(Collectors.joining(", "));
    }
}
