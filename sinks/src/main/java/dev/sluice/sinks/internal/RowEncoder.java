package dev.sluice.sinks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.mapping.ColumnType;
import dev.sluice.mapping.MappingException;
import dev.sluice.sinks.Target;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Turns a mapped row (a JSON object, one field per column) into the CSV texts of the table's columns, checking each
 * value against its column's type. Timestamps are written in UTC as {@code yyyy-MM-dd HH:mm:ss.SSSSSS}, which DuckDB
 * and PostgreSQL both read into a {@code TIMESTAMP}.
 *
 * <p>Thread-safe (stateless).
 */
final class RowEncoder {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private final List<Target.Column> columns;

    RowEncoder(List<Target.Column> columns) {
        this.columns = List.copyOf(columns);
    }

    /** @throws MappingException naming the column whose value does not fit its type */
    String[] encode(ObjectNode row) {
        String[] texts = new String[columns.size()];
        for (int i = 0; i < texts.length; i++) {
            Target.Column column = columns.get(i);
            JsonNode value = row.get(column.name());
            texts[i] = value == null || value.isNull() ? null : text(column, value);
        }
        return texts;
    }

    private static String text(Target.Column column, JsonNode value) {
        return switch (column.type()) {
            case STRING -> value.isValueNode() ? value.asText() : value.toString();
            case JSON -> value.toString();
            case LONG -> {
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    yield Long.toString(value.longValue());
                }
                if (value.isNumber()) {
                    try {
                        yield Long.toString(value.decimalValue().longValueExact());
                    } catch (ArithmeticException e) {
                        throw wrong(column, value);
                    }
                }
                if (value.isTextual()) {
                    try {
                        yield Long.toString(Long.parseLong(value.asText().trim()));
                    } catch (NumberFormatException e) {
                        throw wrong(column, value);
                    }
                }
                throw wrong(column, value);
            }
            case DOUBLE -> {
                if (value.isNumber()) {
                    yield Double.toString(value.doubleValue());
                }
                if (value.isTextual()) {
                    try {
                        yield new BigDecimal(value.asText().trim()).toString();
                    } catch (NumberFormatException e) {
                        throw wrong(column, value);
                    }
                }
                throw wrong(column, value);
            }
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    yield Boolean.toString(value.booleanValue());
                }
                if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
                    yield value.asText();
                }
                throw wrong(column, value);
            }
            case TIMESTAMP -> {
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    yield TIMESTAMP.format(Instant.ofEpochMilli(value.longValue()));
                }
                if (value.isTextual()) {
                    try {
                        yield TIMESTAMP.format(OffsetDateTime.parse(value.asText()).toInstant());
                    } catch (DateTimeParseException e) {
                        try {
                            yield TIMESTAMP.format(Instant.parse(value.asText()));
                        } catch (DateTimeParseException again) {
                            throw wrong(column, value);
                        }
                    }
                }
                throw wrong(column, value);
            }
        };
    }

    private static MappingException wrong(Target.Column column, JsonNode value) {
        String shown = value.toString();
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        return new MappingException("column '" + column.name() + "': expected " + column.type().spelling()
                + (column.type() == ColumnType.TIMESTAMP ? " (epoch milliseconds or ISO-8601)" : "") + ", got "
                + shown);
    }
}
