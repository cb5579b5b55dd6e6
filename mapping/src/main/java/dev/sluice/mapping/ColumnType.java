package dev.sluice.mapping;

import java.util.Locale;

/**
 * The type of a column where the target has types (a sink's table): {@code string} unless a column says otherwise.
 * HTTP sources ignore it: their rows are JSON.
 */
public enum ColumnType {
    STRING, LONG, DOUBLE, BOOLEAN, TIMESTAMP, JSON;

    /** The name as users write it: {@code string}, {@code long}, ... */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The column's type, {@link #STRING} when it has none.
     *
     * @throws MappingException naming the column when the type is not one of the known ones
     */
    public static ColumnType of(ColumnSpec spec) {
        if (spec.type() == null) {
            return STRING;
        }
        for (ColumnType type : values()) {
            if (type.spelling().equals(spec.type())) {
                return type;
            }
        }
        throw new MappingException("column '" + spec.name() + "': type '" + spec.type() + "' is not one of "
                + "string, long, double, boolean, timestamp, json");
    }
}
