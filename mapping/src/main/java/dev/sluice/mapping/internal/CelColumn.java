package dev.sluice.mapping.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.sluice.mapping.MappingException;
import dev.sluice.mapping.MappingInput;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A column computed by a CEL expression (Google's cel-java): type-checked once at compile time against the
 * variables below, then evaluated per input.
 */
record CelColumn(String name, String expression, CelRuntime.Program program, boolean needsBody) implements Column {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("body", SimpleType.DYN)
            .addVar("headers", MapType.create(SimpleType.STRING, SimpleType.STRING))
            .addVar("timestamp", SimpleType.INT)
            .addVar("client_ip", SimpleType.STRING)
            .addVar("key", SimpleType.DYN)
            .addVar("partition", SimpleType.INT)
            .addVar("offset", SimpleType.INT)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    static CelColumn compile(String name, String expression) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return new CelColumn(name, expression, RUNTIME.createProgram(ast), expression.contains("body"));
        } catch (CelValidationException e) {
            throw new MappingException("column '" + name + "': expression does not compile: " + e.getMessage());
        } catch (dev.cel.common.CelException e) {
            throw new MappingException("column '" + name + "': expression cannot run: " + e.getMessage());
        }
    }

    @Override
    public JsonNode apply(MappingInput input) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("body", input.body() == null ? NullValue.NULL_VALUE : toCel(input.body()));
        variables.put("headers", input.headers() == null ? Map.of() : input.headers());
        variables.put("timestamp", input.timestamp());
        variables.put("client_ip", input.clientIp() == null ? "" : input.clientIp());
        variables.put("key", input.key() == null ? NullValue.NULL_VALUE : input.key());
        variables.put("partition", input.partition() == null ? -1L : (long) input.partition());
        variables.put("offset", input.offset() == null ? -1L : input.offset());
        try {
            return toJson(program.eval(variables));
        } catch (CelEvaluationException e) {
            throw new MappingException("column '" + name + "': " + e.getMessage());
        }
    }

    /** JSON as CEL's runtime takes it: maps, lists, Long, Double, String, Boolean and the protobuf null. */
    static Object toCel(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(entry -> map.put(entry.getKey(), toCel(entry.getValue())));
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(element -> list.add(toCel(element)));
                yield list;
            }
            case NUMBER -> node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.asLong()
                    : (Object) node.asDouble();
            case STRING -> node.asText();
            case BOOLEAN -> node.asBoolean();
            case BINARY -> {
                try {
                    yield ByteString.copyFrom(node.binaryValue());
                } catch (java.io.IOException e) {
                    yield NullValue.NULL_VALUE;
                }
            }
            default -> NullValue.NULL_VALUE;
        };
    }

    static JsonNode toJson(Object value) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (value == null || value instanceof NullValue) {
            return json.nullNode();
        }
        if (value instanceof Long l) {
            return json.numberNode(l);
        }
        if (value instanceof Integer i) {
            return json.numberNode(i);
        }
        if (value instanceof Double d) {
            return json.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return json.booleanNode(b);
        }
        if (value instanceof String s) {
            return json.textNode(s);
        }
        if (value instanceof com.google.common.primitives.UnsignedLong u) {
            return json.numberNode(u.bigIntegerValue());
        }
        if (value instanceof ByteString bytes) {
            return json.textNode(Base64.getEncoder().encodeToString(bytes.toByteArray()));
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = json.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = json.arrayNode();
            list.forEach(v -> array.add(toJson(v)));
            return array;
        }
        if (value instanceof com.google.protobuf.Timestamp ts) {
            return json.textNode(java.time.Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos()).toString());
        }
        if (value instanceof com.google.protobuf.Duration d) {
            return json.textNode(java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos()).toString());
        }
        return json.textNode(String.valueOf(value));
    }
}
