package dev.sluice.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void columnsComeFromPathsHeadersValuesAndExpressions() throws Exception {
        Mapping mapping = Mapping.compile(List.of(
                ColumnSpec.value("id", "uuid"),
                ColumnSpec.path("order", "/order/id"),
                ColumnSpec.path("first_item", "/order/items/0/sku"),
                ColumnSpec.path("missing", "/nope"),
                ColumnSpec.header("agent", "User-Agent"),
                ColumnSpec.value("received", "timestamp"),
                ColumnSpec.value("ip", "client_ip"),
                ColumnSpec.expr("cents", "int(body.order.total * 100.0)"),
                ColumnSpec.expr("big", "body.order.total > 10.0 && headers['user-agent'].startsWith('curl')"),
                ColumnSpec.expr("skus", "body.order.items.map(i, i.sku)"),
                ColumnSpec.value("raw", "body")));
        JsonNode body = json("{\"order\": {\"id\": 42, \"total\": 12.5, \"items\": [{\"sku\": \"a\"}, {\"sku\": \"b\"}]}}");

        ObjectNode row = mapping.apply(MappingInput.request(body, Map.of("user-agent", "curl/8"), 1_700_000_000_000L,
                "10.0.0.7"));

        assertThat(UUID.fromString(row.get("id").asText()).version()).isEqualTo(7);
        assertThat(row.get("order").asInt()).isEqualTo(42);
        assertThat(row.get("first_item").asText()).isEqualTo("a");
        assertThat(row.get("missing").isNull()).isTrue();
        assertThat(row.get("agent").asText()).isEqualTo("curl/8");
        assertThat(row.get("received").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(row.get("ip").asText()).isEqualTo("10.0.0.7");
        assertThat(row.get("cents").asLong()).isEqualTo(1250);
        assertThat(row.get("big").asBoolean()).isTrue();
        assertThat(row.get("skus").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(row.get("raw")).isEqualTo(body);
        assertThat(row.fieldNames()).toIterable().containsExactly("id", "order", "first_item", "missing", "agent",
                "received", "ip", "cents", "big", "skus", "raw");
        assertThat(mapping.needsBody()).isTrue();
    }

    @Test
    void aMappingWithoutBodyColumnsDoesNotNeedABody() {
        Mapping mapping = Mapping.compile(List.of(ColumnSpec.header("h", "X-A"),
                ColumnSpec.expr("t", "timestamp + 1")));
        assertThat(mapping.needsBody()).isFalse();
        assertThat(mapping.apply(MappingInput.request(null, Map.of("x-a", "1"), 5, "ip")).toString())
                .isEqualTo("{\"h\":\"1\",\"t\":6}");
    }

    @Test
    void recordFieldsAreAvailableToSinks() throws Exception {
        Mapping mapping = Mapping.compile(List.of(ColumnSpec.value("k", "key"), ColumnSpec.value("p", "partition"),
                ColumnSpec.value("o", "offset"), ColumnSpec.expr("where", "string(partition) + '@' + string(offset)")));
        ObjectNode row = mapping.apply(new MappingInput(json("{}"), Map.of(), 0, null, "user-1", 3, 99L));
        assertThat(row.toString()).isEqualTo("{\"k\":\"user-1\",\"p\":3,\"o\":99,\"where\":\"3@99\"}");
    }

    @Test
    void uuidsAreVersion7AndOrderedByCreation() {
        Mapping mapping = Mapping.compile(List.of(ColumnSpec.value("id", "uuid")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(mapping.apply(MappingInput.request(null, Map.of(), 0, null)).get("id").asText());
        }
        assertThat(ids).doesNotHaveDuplicates().isSorted();
        UUID first = UUID.fromString(ids.getFirst());
        assertThat(first.variant()).isEqualTo(2);
        assertThat(first.getMostSignificantBits() >>> 16).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(60_000L));
    }

    @Test
    void badMappingsAreRefusedNamingTheColumn() {
        assertThatThrownBy(() -> Mapping.compile(List.of())).hasMessageContaining("at least one column");
        assertThatThrownBy(() -> Mapping.compile(List.of(new ColumnSpec("x", "/a", "h", null, null))))
                .hasMessageContaining("column 'x' needs exactly one of path, header, value or expr, got 2");
        assertThatThrownBy(() -> Mapping.compile(List.of(ColumnSpec.path("p", "no-slash"))))
                .hasMessageContaining("column 'p'").hasMessageContaining("JSON Pointer");
        assertThatThrownBy(() -> Mapping.compile(List.of(ColumnSpec.value("v", "yesterday"))))
                .hasMessageContaining("column 'v'").hasMessageContaining("uuid");
        assertThatThrownBy(() -> Mapping.compile(List.of(ColumnSpec.expr("e", "body.total +"))))
                .isInstanceOf(MappingException.class).hasMessageContaining("column 'e'")
                .hasMessageContaining("does not compile");
        assertThatThrownBy(() -> Mapping.compile(List.of(ColumnSpec.expr("e", "timestamp + 'x'"))))
                .hasMessageContaining("column 'e'");
        assertThatThrownBy(() -> Mapping.compile(List.of(ColumnSpec.value("a", "uuid"), ColumnSpec.value("a", "uuid"))))
                .hasMessageContaining("column 'a' is defined twice");
    }

    @Test
    void anExpressionThatFailsOnOneInputNamesTheColumn() throws Exception {
        Mapping mapping = Mapping.compile(List.of(ColumnSpec.expr("n", "body.count + 1")));
        assertThat(mapping.apply(MappingInput.request(json("{\"count\": 1}"), Map.of(), 0, null)).get("n").asLong())
                .isEqualTo(2);
        assertThatThrownBy(() -> mapping.apply(MappingInput.request(json("{\"other\": 1}"), Map.of(), 0, null)))
                .isInstanceOf(MappingException.class).hasMessageStartingWith("column 'n': ");
        assertThatThrownBy(() -> mapping.apply(MappingInput.request(json("{\"count\": null}"), Map.of(), 0, null)))
                .hasMessageStartingWith("column 'n': ");
    }

    @Test
    void columnTypesDefaultToStringAndUnknownTypesAreRefusedNamingTheColumn() {
        Mapping mapping = Mapping.compile(List.of(ColumnSpec.path("id", "/id").withType("long"),
                ColumnSpec.path("name", "/name")));
        assertThat(mapping.types()).containsExactly(ColumnType.LONG, ColumnType.STRING);

        assertThatThrownBy(() -> Mapping.compile(List.of(ColumnSpec.path("total", "/t").withType("decimal"))))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("column 'total'").hasMessageContaining("type 'decimal'");
    }
}
