package dev.sluice.server.internal;

import java.util.Objects;

/**
 * One key given one raw value by one source, before validation.
 *
 * @param key    the key as written in {@code sluice.yaml}, such as {@code log.flush}
 * @param value  the value as the user wrote it
 * @param source where it came from
 */
public record Setting(String key, String value, Source source) {

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }
}
