package dev.sluice.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One column of a mapping as users write it: a name and exactly one of
 * <ul>
 *   <li>{@code path}: a JSON Pointer (RFC 6901) into the body, e.g. {@code /order/id};</li>
 *   <li>{@code header}: a request or record header, by name (case-insensitive);</li>
 *   <li>{@code value}: one of {@code body} (the whole body as JSON), {@code timestamp} (received or record time, ms),
 *       {@code client_ip}, {@code uuid} (a new UUIDv7), {@code key}, {@code partition}, {@code offset};</li>
 *   <li>{@code expr}: a CEL expression over {@code body}, {@code headers}, {@code timestamp}, {@code client_ip},
 *       {@code key}, {@code partition} and {@code offset}.</li>
 * </ul>
 * and optionally a {@code type} for targets that have column types (sinks): {@code string} (default), {@code long},
 * {@code double}, {@code boolean}, {@code timestamp} or {@code json}; see {@link ColumnType}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSpec(String name, String path, String header, String value, String expr, String type) {

    /** A column without a type (a string where a type matters). */
    public ColumnSpec(String name, String path, String header, String value, String expr) {
        this(name, path, header, value, expr, null);
    }

    /** This column with the given type ({@code string}, {@code long}, ...). */
    public ColumnSpec withType(String type) {
        return new ColumnSpec(name, path, header, value, expr, type);
    }

    public static ColumnSpec path(String name, String pointer) {
        return new ColumnSpec(name, pointer, null, null, null);
    }

    public static ColumnSpec header(String name, String header) {
        return new ColumnSpec(name, null, header, null, null);
    }

    public static ColumnSpec value(String name, String value) {
        return new ColumnSpec(name, null, null, value, null);
    }

    public static ColumnSpec expr(String name, String expression) {
        return new ColumnSpec(name, null, null, null, expression);
    }
}
