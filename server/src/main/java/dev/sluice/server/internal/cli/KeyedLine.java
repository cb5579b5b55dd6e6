package dev.sluice.server.internal.cli;

import java.util.Optional;

/**
 * One line of {@code sluice produce} input split into key and value at the first occurrence of the key separator,
 * as {@code kafka-console-producer --property parse.key=true} does. A line without the separator has no key (the
 * whole line is the value) rather than failing the run: input is often a mix, e.g. a log with a few keyed lines.
 *
 * @param key   the part before the separator; empty when no separator was given or the line has none
 * @param value the rest
 */
record KeyedLine(Optional<String> key, String value) {

    static KeyedLine split(String line, Optional<String> separator) {
        if (separator.isEmpty()) {
            return new KeyedLine(Optional.empty(), line);
        }
        int at = line.indexOf(separator.get());
        if (at < 0) {
            return new KeyedLine(Optional.empty(), line);
        }
        return new KeyedLine(Optional.of(line.substring(0, at)), line.substring(at + separator.get().length()));
    }
}
