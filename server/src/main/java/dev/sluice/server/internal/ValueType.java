package dev.sluice.server.internal;

import dev.sluice.log.CleanupPolicy;
import dev.sluice.log.FlushPolicy;
import dev.sluice.server.SluiceConfig.Address;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a configuration key accepts: a parser from the text the user wrote and the sentence that describes valid
 * values in error messages and in the configuration reference.
 *
 * @param accepted what valid values look like, for humans
 * @param parser   turns the text into the value; throws {@link IllegalArgumentException}, optionally with a detail
 * @param secret   whether the value must never be echoed (in errors, {@code sluice config}, logs)
 * @param <T>      the parsed value's type
 */
public record ValueType<T>(String accepted, Parser<T> parser, boolean secret) {

    /** Parses one raw value. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String raw);
    }

    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):(\\d{1,5})");
    private static final Pattern DURATION = Pattern.compile("(-?\\d+)(ms|s|m|h|d)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    public T parse(String raw) {
        return parser.parse(raw.trim());
    }

    public static ValueType<Path> path() {
        return new ValueType<>("a directory path (relative paths are resolved against the working directory)", raw -> {
            if (raw.isEmpty()) {
                throw new IllegalArgumentException("the path is empty");
            }
            try {
                return Path.of(raw);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }, false);
    }

    /** A name safe to use in file names, metric labels and host names. */
    public static ValueType<String> name() {
        return new ValueType<>("letters, digits, '.', '_' and '-', starting with a letter or digit", raw -> {
            if (!NAME.matcher(raw).matches()) {
                throw new IllegalArgumentException();
            }
            return raw;
        }, false);
    }

    public static ValueType<String> token() {
        return new ValueType<>("a non-empty string without whitespace", raw -> {
            if (raw.isEmpty() || raw.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException();
            }
            return raw;
        }, true);
    }

    public static ValueType<Address> address() {
        return new ValueType<>("host:port with a port from 0 to 65535, e.g. 127.0.0.1:9092, 0.0.0.0:9092 or [::1]:9092",
                raw -> {
                    Matcher matcher = ADDRESS.matcher(raw);
                    if (!matcher.matches()) {
                        throw new IllegalArgumentException();
                    }
                    int port = Integer.parseInt(matcher.group(2));
                    if (port > 65535) {
                        throw new IllegalArgumentException("port " + port + " is out of range");
                    }
                    String host = matcher.group(1);
                    return new Address(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
                }, false);
    }

    public static ValueType<Integer> integer(int min, int max) {
        return new ValueType<>("an integer from " + min + " to " + max, raw -> {
            long value = parseLong(raw);
            if (value < min || value > max) {
                throw new IllegalArgumentException();
            }
            return (int) value;
        }, false);
    }

    /** A long of at least {@code min}; {@code meaningOfMinusOne} documents -1 when it is accepted. */
    public static ValueType<Long> longAtLeast(long min, String meaningOfMinusOne) {
        String accepted = "an integer of at least " + min + (min == -1 ? " (-1 " + meaningOfMinusOne + ")" : "");
        return new ValueType<>(accepted, raw -> {
            long value = parseLong(raw);
            if (value < min) {
                throw new IllegalArgumentException();
            }
            return value;
        }, false);
    }

    /**
     * Milliseconds, as a plain integer or with a unit suffix ({@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h},
     * {@code 7d}), of at least {@code min}.
     */
    public static ValueType<Long> millis(long min, String meaningOfMinusOne) {
        String floor = min == -1 ? "-1 (" + meaningOfMinusOne + ") or more" : "at least " + min + " ms";
        String accepted = "milliseconds, " + floor + ", as an integer or with a unit: 500ms, 30s, 15m, 2h, 7d";
        return new ValueType<>(accepted, raw -> {
            Matcher matcher = DURATION.matcher(raw);
            if (!matcher.matches()) {
                throw new IllegalArgumentException();
            }
            long amount = parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
            long unitMs = switch (unit) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                case "d" -> 86_400_000;
                default -> throw new IllegalStateException("unit " + unit);
            };
            long value;
            try {
                value = Math.multiplyExact(amount, unitMs);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("too large", e);
            }
            if (value < min) {
                throw new IllegalArgumentException();
            }
            return value;
        }, false);
    }

    public static ValueType<FlushPolicy> flushPolicy() {
        return new ValueType<>("always, interval or none", raw -> withoutDetail(() -> FlushPolicy.parse(raw)), false);
    }

    public static ValueType<CleanupPolicy> cleanupPolicy() {
        return new ValueType<>("delete, compact or compact,delete",
                raw -> withoutDetail(() -> CleanupPolicy.parse(raw)), false);
    }

    private static long parseLong(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer", e);
        }
    }

    // The log module's parsers list the accepted values in their messages; ours add them already.
    private static <T> T withoutDetail(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(null, e);
        }
    }
}
