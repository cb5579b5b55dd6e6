package dev.sluice.server.internal;

import java.util.Locale;
import java.util.Objects;

/**
 * One configuration key and its spelling in every source: {@code sluice.yaml} key, {@code SLUICE_} environment
 * variable and, for the common ones, a dedicated command-line flag ({@code --set key=value} covers the rest).
 *
 * @param name     the key as written in {@code sluice.yaml}, dotted: {@code log.flush}
 * @param type     what the key accepts
 * @param fallback the value used when no source sets the key
 * @param flag     the dedicated flag, or {@code null} when there is none
 * @param meaning  one line for the configuration reference
 * @param <T>      the value's type
 */
public record ConfigKey<T>(String name, ValueType<T> type, Default fallback, String flag, String meaning) {

    /** What a key is when nothing sets it. */
    public sealed interface Default {
        /** For the configuration reference. */
        String describe();
    }

    /** A fixed default, written as a user would write it. */
    public record Fixed(String value) implements Default {
        @Override
        public String describe() {
            return value;
        }
    }

    /** A default worked out at start (the host name, another key's value) or none at all. */
    public record Derived(String explanation) implements Default {
        @Override
        public String describe() {
            return explanation;
        }
    }

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(meaning, "meaning");
    }

    /** The environment variable: {@code SLUICE_} and the key upper-cased, dots turned to underscores. */
    public String envName() {
        return "SLUICE_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /**
     * Parses a value this key was given.
     *
     * @throws ConfigException naming the key, the source and what is accepted
     */
    public T parse(Setting setting) {
        try {
            return type.parse(setting.value());
        } catch (IllegalArgumentException e) {
            String shown = type.secret() ? "" : " '" + setting.value() + "'";
            String detail = e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage() + ")";
            throw new ConfigException("invalid value" + shown + " for " + name + " from " + setting.source() + detail
                    + "; accepted: " + type.accepted(), e);
        }
    }
}
