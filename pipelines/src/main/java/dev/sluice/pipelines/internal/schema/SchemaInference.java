package dev.sluice.pipelines.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Infers JSON Schemas (2020-12 vocabulary: {@code type}, {@code properties}, {@code required}, {@code items}) from
 * values and merges them, widening:
 * <ul>
 *   <li>types unite ({@code "type": ["null", "string"]}, in a fixed order), and {@code number} absorbs
 *       {@code integer};</li>
 *   <li>an object's {@code properties} unite, merged property by property; {@code required} keeps the fields every
 *       object had, so a field seen in some payloads only is optional;</li>
 *   <li>an array's {@code items} is the merge of all its elements' schemas (none while only empty arrays were
 *       seen).</li>
 * </ul>
 * An object with more than {@link #MAX_PROPERTIES} distinct fields (a map keyed by ids, say) stops growing: the
 * fields after that are allowed as {@code additionalProperties: true} and not described.
 *
 * <p>{@link #covers} answers whether merging a value would leave a schema as it is without building anything, so
 * the usual case (a payload of a shape already seen) builds no schema. It must agree with {@link #merge} of
 * {@link #infer}: the tests hold them to it.
 *
 * <p>Schemas are Jackson trees that this class never changes once built: merge copies what it changes.
 */
public final class SchemaInference {
    /** Distinct fields kept per object schema. */
    public static final int MAX_PROPERTIES = 1000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // Type bits, in the order "type" arrays list them.
    private static final int NULL = 1;
    private static final int BOOLEAN = 1 << 1;
    private static final int INTEGER = 1 << 2;
    private static final int NUMBER = 1 << 3;
    private static final int STRING = 1 << 4;
    private static final int OBJECT = 1 << 5;
    private static final int ARRAY = 1 << 6;
    private static final String[] TYPE_NAMES = {"null", "boolean", "integer", "number", "string", "object", "array"};

    private SchemaInference() {
    }

    /** The schema of one value. */
    public static ObjectNode infer(JsonNode value) {
        ObjectNode schema = NODES.objectNode();
        int type = typeOf(value);
        schema.set("type", typeNode(type));
        if (type == OBJECT) {
            ObjectNode properties = NODES.objectNode();
            ArrayNode required = NODES.arrayNode();
            int kept = 0;
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                if (kept == MAX_PROPERTIES) {
                    schema.put("additionalProperties", true);
                    break;
                }
                properties.set(field.getKey(), infer(field.getValue()));
                required.add(field.getKey());
                kept++;
            }
            if (!properties.isEmpty()) {
                schema.set("properties", properties);
                schema.set("required", required);
            }
        } else if (type == ARRAY) {
            ObjectNode items = null;
            for (JsonNode element : value) {
                ObjectNode inferred = infer(element);
                items = items == null ? inferred : merge(items, inferred);
            }
            if (items != null) {
                schema.set("items", items);
            }
        }
        return schema;
    }

    /** The narrowest schema (in this vocabulary) that both schemas' values fit. */
    public static ObjectNode merge(ObjectNode a, ObjectNode b) {
        int typesA = types(a);
        int typesB = types(b);
        ObjectNode merged = NODES.objectNode();
        merged.set("type", typeNode(typesA | typesB));
        if (((typesA | typesB) & OBJECT) != 0) {
            mergeObject(a, (typesA & OBJECT) != 0, b, (typesB & OBJECT) != 0, merged);
        }
        JsonNode itemsA = a.get("items");
        JsonNode itemsB = b.get("items");
        if (itemsA != null && itemsB != null) {
            merged.set("items", merge((ObjectNode) itemsA, (ObjectNode) itemsB));
        } else if (itemsA != null || itemsB != null) {
            merged.set("items", itemsA != null ? itemsA : itemsB);
        }
        return merged;
    }

    /**
     * Whether {@code merge(schema, infer(value))} would equal {@code schema}, found by walking both, building
     * nothing. A true answer is exact; false may be conservative (an object with more than {@link #MAX_PROPERTIES}
     * fields), so callers compare the merge with the schema before calling it a change.
     */
    public static boolean covers(JsonNode schema, JsonNode value) {
        int type = typeOf(value);
        int types = types(schema);
        if ((types & type) == 0 && !(type == INTEGER && (types & NUMBER) != 0)) {
            return false;
        }
        if (type == OBJECT) {
            return coversObject(schema, value);
        }
        if (type == ARRAY && !value.isEmpty()) {
            JsonNode items = schema.get("items");
            if (items == null) {
                return false;
            }
            for (JsonNode element : value) {
                if (!covers(items, element)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean coversObject(JsonNode schema, JsonNode value) {
        if (value.size() > MAX_PROPERTIES) {
            return false;
        }
        JsonNode properties = schema.get("properties");
        boolean open = schema.path("additionalProperties").asBoolean(false);
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            JsonNode property = properties == null ? null : properties.get(field.getKey());
            if (property == null) {
                if (!open) {
                    return false;
                }
            } else if (!covers(property, field.getValue())) {
                return false;
            }
        }
        JsonNode required = schema.get("required");
        if (required != null) {
            for (JsonNode name : required) {
                if (!value.has(name.textValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Properties: the union, merged where both have one. Required: the fields both require when both describe
     * objects; else the one object schema's.
     */
    private static void mergeObject(ObjectNode a, boolean aObject, ObjectNode b, boolean bObject, ObjectNode merged) {
        JsonNode propertiesA = a.get("properties");
        JsonNode propertiesB = b.get("properties");
        boolean open = a.path("additionalProperties").asBoolean(false)
                || b.path("additionalProperties").asBoolean(false);
        ObjectNode properties = NODES.objectNode();
        if (propertiesA != null) {
            for (Map.Entry<String, JsonNode> property : propertiesA.properties()) {
                JsonNode other = propertiesB == null ? null : propertiesB.get(property.getKey());
                properties.set(property.getKey(), other == null ? property.getValue()
                        : merge((ObjectNode) property.getValue(), (ObjectNode) other));
            }
        }
        if (propertiesB != null) {
            for (Map.Entry<String, JsonNode> property : propertiesB.properties()) {
                if (properties.has(property.getKey())) {
                    continue;
                }
                if (properties.size() == MAX_PROPERTIES) {
                    open = true;
                    break;
                }
                properties.set(property.getKey(), property.getValue());
            }
        }
        if (!properties.isEmpty()) {
            merged.set("properties", properties);
        }
        ArrayNode required = NODES.arrayNode();
        if (aObject && bObject) {
            JsonNode requiredB = b.get("required");
            if (requiredB != null) {
                for (JsonNode name : a.path("required")) {
                    if (contains(requiredB, name.textValue())) {
                        required.add(name);
                    }
                }
            }
        } else {
            for (JsonNode name : (aObject ? a : b).path("required")) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            merged.set("required", required);
        }
        if (open) {
            merged.put("additionalProperties", true);
        }
    }

    private static boolean contains(JsonNode names, String name) {
        for (JsonNode candidate : names) {
            if (name.equals(candidate.textValue())) {
                return true;
            }
        }
        return false;
    }

    private static int typeOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case NULL, MISSING -> NULL;
            case BOOLEAN -> BOOLEAN;
            case NUMBER -> value.isIntegralNumber() ? INTEGER : NUMBER;
            case STRING, BINARY -> STRING;
            case OBJECT, POJO -> OBJECT;
            case ARRAY -> ARRAY;
        };
    }

    /** The type bits of a schema's {@code type} (a name or an array of names). */
    private static int types(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return 0;
        }
        if (type.isTextual()) {
            return bit(type.textValue());
        }
        int bits = 0;
        for (JsonNode name : type) {
            bits |= bit(name.textValue());
        }
        return bits;
    }

    private static int bit(String name) {
        for (int i = 0; i < TYPE_NAMES.length; i++) {
            if (TYPE_NAMES[i].equals(name)) {
                return 1 << i;
            }
        }
        return 0;
    }

    private static JsonNode typeNode(int bits) {
        if ((bits & NUMBER) != 0) {
            bits &= ~INTEGER;
        }
        if (Integer.bitCount(bits) == 1) {
            return NODES.textNode(TYPE_NAMES[Integer.numberOfTrailingZeros(bits)]);
        }
        ArrayNode names = NODES.arrayNode();
        for (int i = 0; i < TYPE_NAMES.length; i++) {
            if ((bits & (1 << i)) != 0) {
                names.add(TYPE_NAMES[i]);
            }
        }
        return names;
    }
}
