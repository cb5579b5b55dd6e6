package dev.sluice.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.mapping.internal.Column;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a request or a record into a structured JSON object, one field per column: values from JSON paths, headers,
 * the time, the client's address, a UUIDv7, and CEL expressions. Compiled once, applied many times.
 *
 * <pre>{@code
 * Mapping mapping = Mapping.compile(List.of(
 *         ColumnSpec.value("id", "uuid"),
 *         ColumnSpec.path("order", "/order/id"),
 *         ColumnSpec.expr("cents", "int(body.total * 100.0)")));
 * ObjectNode row = mapping.apply(MappingInput.request(body, headers, now, ip));
 * }</pre>
 *
 * <p>Thread-safe and immutable.
 */
public final class Mapping {
    private final List<ColumnSpec> specs;
    private final List<Column> columns;
    private final boolean needsBody;

    private Mapping(List<ColumnSpec> specs, List<Column> columns) {
        this.specs = List.copyOf(specs);
        this.columns = List.copyOf(columns);
        this.needsBody = columns.stream().anyMatch(Column::needsBody);
    }

    /**
     * Checks and compiles the columns.
     *
     * @throws MappingException naming the column that is wrong and why
     */
    public static Mapping compile(List<ColumnSpec> specs) {
        if (specs == null || specs.isEmpty()) {
            throw new MappingException("a mapping needs at least one column");
        }
        Set<String> names = new HashSet<>();
        List<Column> columns = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            ColumnSpec spec = specs.get(i);
            if (spec == null || spec.name() == null || spec.name().isBlank()) {
                throw new MappingException("column " + (i + 1) + " has no name");
            }
            if (!names.add(spec.name())) {
                throw new MappingException("column '" + spec.name() + "' is defined twice");
            }
            ColumnType.of(spec);
            columns.add(Column.compile(spec));
        }
        return new Mapping(specs, columns);
    }

    /** The columns as written. */
    public List<ColumnSpec> specs() {
        return specs;
    }

    /** The columns' types, in column order ({@link ColumnType#STRING} for a column without one). */
    public List<ColumnType> types() {
        return specs.stream().map(ColumnType::of).toList();
    }

    /** Whether a column reads the body, so the body must be JSON (or a form) for this mapping to apply. */
    public boolean needsBody() {
        return needsBody;
    }

    /**
     * The input as a JSON object with one field per column, in column order.
     *
     * @throws MappingException naming the column whose value could not be computed
     */
    public ObjectNode apply(MappingInput input) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        for (Column column : columns) {
            JsonNode value = column.apply(input);
            row.set(column.name(), value == null ? JsonNodeFactory.instance.nullNode() : value);
        }
        return row;
    }
}
