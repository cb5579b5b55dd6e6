package dev.sluice.server.internal;

import dev.sluice.server.SluiceConfig;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configuration a node runs with, and for each key the value as given and where it came from; this is what
 * {@code sluice config} shows.
 *
 * @param config the typed configuration
 * @param values every key that has a value, in catalog order; an unset {@code auth.token} is absent
 */
public record EffectiveConfig(SluiceConfig config, List<Value> values) {

    /**
     * One key's effective value.
     *
     * @param key     the key
     * @param setting the winning raw value and its source
     * @param parsed  the parsed value
     */
    public record Value(ConfigKey<?> key, Setting setting, Object parsed) {
        public Source source() {
            return setting.source();
        }
    }

    private static final Pattern PLAIN = Pattern.compile("-?[A-Za-z0-9_./][A-Za-z0-9_./:,+@=-]*");
    private static final Set<String> YAML_WORDS = Set.of("null", "true", "false", "yes", "no", "on", "off", "y", "n");
    private static final String MASK = "********";

    public EffectiveConfig {
        values = List.copyOf(values);
    }

    /**
     * Renders the configuration as YAML with the source of each value in a comment; the token is masked. The output
     * is a valid {@code sluice.yaml} (with the token line removed).
     */
    public String toYaml() {
        StringBuilder yaml = new StringBuilder("# Effective Sluice configuration; the comment after each value says "
                + "where it came from.\n");
        for (Value value : values) {
            String shown = value.key().type().secret() ? MASK : display(value);
            String line = value.key().name() + ": " + quote(shown);
            yaml.append(String.format(Locale.ROOT, "%-44s # %s%n", line, value.source()));
        }
        if (config.authToken().isEmpty()) {
            yaml.append("# auth.token is not set: Sluice runs without authentication\n");
        }
        return yaml.toString();
    }

    // The data directory is shown resolved, so the user sees where data actually goes.
    private String display(Value value) {
        return value.key() == ConfigKeys.DATA_DIR ? config.dataDir().toString() : value.setting().value().trim();
    }

    private static String quote(String value) {
        if (PLAIN.matcher(value).matches() && !YAML_WORDS.contains(value.toLowerCase(Locale.ROOT))
                && !value.endsWith(":")) {
            return value;
        }
        return "'" + value.replace("'", "''") + "'";
    }
}
