package dev.sluice.mapping.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.mapping.ColumnSpec;
import dev.sluice.mapping.MappingException;
import dev.sluice.mapping.MappingInput;
import java.util.Locale;

/** One compiled column: where its value comes from, and whether it reads the body. */
public sealed interface Column permits Column.Path, Column.Header, Column.Value, CelColumn {
    String name();

    boolean needsBody();

    /** The column's value for the input; null for a missing value. */
    JsonNode apply(MappingInput input);

    /** Compiles a column, checking that exactly one source is given and that it is valid. */
    static Column compile(ColumnSpec spec) {
        int sources = (spec.path() != null ? 1 : 0) + (spec.header() != null ? 1 : 0)
                + (spec.value() != null ? 1 : 0) + (spec.expr() != null ? 1 : 0);
        if (sources != 1) {
            throw new MappingException("column '" + spec.name() + "' needs exactly one of path, header, value or "
                    + "expr, got " + sources);
        }
        if (spec.path() != null) {
            try {
                return new Path(spec.name(), JsonPointer.compile(spec.path()));
            } catch (IllegalArgumentException e) {
                throw new MappingException("column '" + spec.name() + "': path '" + spec.path()
                        + "' is not a JSON Pointer such as /order/id: " + e.getMessage());
            }
        }
        if (spec.header() != null) {
            if (spec.header().isBlank()) {
                throw new MappingException("column '" + spec.name() + "': header name is empty");
            }
            return new Header(spec.name(), spec.header().toLowerCase(Locale.ROOT));
        }
        if (spec.value() != null) {
            return new Value(spec.name(), Value.Kind.parse(spec.name(), spec.value()));
        }
        return CelColumn.compile(spec.name(), spec.expr());
    }

    /** A value at a JSON Pointer in the body. */
    record Path(String name, JsonPointer pointer) implements Column {
        @Override
        public boolean needsBody() {
            return true;
        }

        @Override
        public JsonNode apply(MappingInput input) {
            if (input.body() == null) {
                return null;
            }
            JsonNode found = input.body().at(pointer);
            return found.isMissingNode() ? null : found;
        }
    }

    /** A header's value; names are matched in lower case. */
    record Header(String name, String header) implements Column {
        @Override
        public boolean needsBody() {
            return false;
        }

        @Override
        public JsonNode apply(MappingInput input) {
            String value = input.headers() == null ? null : input.headers().get(header);
            return value == null ? null : JsonNodeFactory.instance.textNode(value);
        }
    }

    /** A value Sluice knows about the input. */
    record Value(String name, Kind kind) implements Column {
        enum Kind {
            BODY, TIMESTAMP, CLIENT_IP, UUID, KEY, PARTITION, OFFSET;

            static Kind parse(String column, String value) {
                try {
                    return valueOf(value.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new MappingException("column '" + column + "': value '" + value + "' is not one of "
                            + "body, timestamp, client_ip, uuid, key, partition, offset");
                }
            }
        }

        @Override
        public boolean needsBody() {
            return kind == Kind.BODY;
        }

        @Override
        public JsonNode apply(MappingInput input) {
            JsonNodeFactory json = JsonNodeFactory.instance;
            return switch (kind) {
                case BODY -> input.body();
                case TIMESTAMP -> json.numberNode(input.timestamp());
                case CLIENT_IP -> input.clientIp() == null ? null : json.textNode(input.clientIp());
                case UUID -> json.textNode(UuidV7.next().toString());
                case KEY -> input.key() == null ? null : json.textNode(input.key());
                case PARTITION -> input.partition() == null ? null : json.numberNode(input.partition());
                case OFFSET -> input.offset() == null ? null : json.numberNode(input.offset());
            };
        }
    }
}
