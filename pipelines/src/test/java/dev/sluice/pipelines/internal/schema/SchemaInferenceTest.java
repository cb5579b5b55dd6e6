package dev.sluice.pipelines.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaInferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> VALUES = List.of(
            "null", "true", "1", "1.5", "\"s\"", "[]", "[1]", "[1.5, \"s\"]", "[[1], []]", "[{\"a\": 1}, {\"b\": 2}]",
            "{}", "{\"a\": 1}", "{\"a\": 1.5}", "{\"a\": null}", "{\"a\": 1, \"b\": \"x\"}", "{\"b\": \"x\"}",
            "{\"a\": {\"c\": [true]}}", "{\"a\": {\"c\": []}}", "{\"a\": {}}", "{\"a\": [{\"x\": 1}]}");

    /** Schemas folded from one, two and three of the values. */
    private static List<ObjectNode> schemas() throws Exception {
        List<JsonNode> values = new ArrayList<>();
        for (String value : VALUES) {
            values.add(JSON.readTree(value));
        }
        List<ObjectNode> schemas = new ArrayList<>();
        int n = values.size();
        for (int i = 0; i < n; i++) {
            ObjectNode one = SchemaInference.infer(values.get(i));
            schemas.add(one);
            for (int j = 0; j < n; j++) {
                ObjectNode two = SchemaInference.merge(one, SchemaInference.infer(values.get(j)));
                schemas.add(two);
                schemas.add(SchemaInference.merge(two, SchemaInference.infer(values.get((i + j) % n))));
            }
        }
        return schemas;
    }

    @Test
    void coversAgreesWithMergingForEverySchemaAndValue() throws Exception {
        for (ObjectNode schema : schemas()) {
            for (String text : VALUES) {
                JsonNode value = JSON.readTree(text);
                boolean unchanged = SchemaInference.merge(schema, SchemaInference.infer(value)).equals(schema);
                assertThat(SchemaInference.covers(schema, value)).as("%s covers %s", schema, text)
                        .isEqualTo(unchanged);
            }
        }
    }

    @Test
    void mergeIsCommutativeAndAssociativeUpToFieldOrder() throws Exception {
        List<ObjectNode> inferred = new ArrayList<>();
        for (String text : VALUES) {
            inferred.add(SchemaInference.infer(JSON.readTree(text)));
        }
        for (ObjectNode a : inferred) {
            for (ObjectNode b : inferred) {
                assertThat(types(SchemaInference.merge(a, b))).isEqualTo(types(SchemaInference.merge(b, a)));
                for (ObjectNode c : inferred) {
                    ObjectNode left = SchemaInference.merge(SchemaInference.merge(a, b), c);
                    ObjectNode right = SchemaInference.merge(a, SchemaInference.merge(b, c));
                    assertThat(sortedRequired(left)).isEqualTo(sortedRequired(right));
                }
            }
        }
    }

    @Test
    void anObjectStopsGrowingAtTheFieldLimit() throws Exception {
        ObjectNode wide = JSON.createObjectNode();
        for (int i = 0; i < SchemaInference.MAX_PROPERTIES + 10; i++) {
            wide.put("k" + i, i);
        }

        ObjectNode schema = SchemaInference.infer(wide);

        assertThat(schema.get("properties").size()).isEqualTo(SchemaInference.MAX_PROPERTIES);
        assertThat(schema.get("additionalProperties").asBoolean()).isTrue();
        ObjectNode another = JSON.createObjectNode().put("k0", 1).put("new", 2);
        ObjectNode merged = SchemaInference.merge(schema, SchemaInference.infer(another));
        assertThat(merged.get("properties").size()).isEqualTo(SchemaInference.MAX_PROPERTIES);
        assertThat(merged.get("required")).hasSize(1);
    }

    private static JsonNode types(ObjectNode schema) {
        return schema.get("type");
    }

    /** The schema with every {@code required} list sorted, so that schemas merged in another order compare. */
    private static JsonNode sortedRequired(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        sort(copy);
        return copy;
    }

    private static void sort(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode required = object.get("required");
            if (required != null) {
                List<String> names = new ArrayList<>();
                required.forEach(name -> names.add(name.textValue()));
                names.sort(null);
                object.set("required", JSON.valueToTree(names));
            }
            object.properties().forEach(entry -> sort(entry.getValue()));
        }
    }
}
