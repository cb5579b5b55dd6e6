package dev.sluice.pipelines;

import static dev.sluice.pipelines.Chains.AUDIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InferredSchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InferredSchemas schemas = new InferredSchemas();
    private final PipelineChain chain = Chains.chain(
            Chains.pipeline(WasmModules.NONE, StepSpec.inferSchema("infer")), schemas);

    private StepReport infer(String payload) {
        return chain.process(payload.getBytes(StandardCharsets.UTF_8), "topic", true).trace().getFirst();
    }

    private String schema() {
        return schemas.current(AUDIENCE).orElseThrow().schema().toString();
    }

    private int version() {
        return schemas.current(AUDIENCE).orElseThrow().version();
    }

    @Test
    void theFirstPayloadGivesVersionOne() {
        StepReport report = infer("{\"id\": 1, \"name\": \"a\", \"tags\": [\"x\"], \"at\": null}");

        assertThat(report.outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(report.detail()).isEqualTo("schema version 1");
        assertThat(version()).isEqualTo(1);
        assertThat(schema()).isEqualTo("{\"type\":\"object\",\"properties\":{"
                + "\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"},"
                + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"at\":{\"type\":\"null\"}},"
                + "\"required\":[\"id\",\"name\",\"tags\",\"at\"]}");
    }

    @Test
    void theSameShapeLeavesTheVersionAlone() {
        infer("{\"id\": 1, \"name\": \"a\", \"tags\": [\"x\", \"y\"]}");
        String first = schema();

        for (String payload : List.of("{\"id\": 2, \"name\": \"b\", \"tags\": []}",
                "{\"name\": \"c\", \"id\": 3, \"tags\": [\"z\"]}")) {
            StepReport report = infer(payload);
            assertThat(report.outcome()).isEqualTo(StepOutcome.TRUE);
            assertThat(report.detail()).isNull();
        }
        assertThat(version()).isEqualTo(1);
        assertThat(schema()).isEqualTo(first);
    }

    @Test
    void typesWidenAndEachChangeBumpsTheVersionOnce() {
        infer("{\"id\": 1, \"name\": \"a\"}");

        assertThat(infer("{\"id\": 2.5, \"name\": \"b\"}").detail()).isEqualTo("schema version 2");
        assertThat(schema()).contains("\"id\":{\"type\":\"number\"}");
        // An integer is a number: nothing to widen.
        assertThat(infer("{\"id\": 3, \"name\": \"c\"}").detail()).isNull();

        assertThat(infer("{\"id\": 4}").detail()).isEqualTo("schema version 3");
        assertThat(schema()).contains("\"required\":[\"id\"]");
        assertThat(infer("{\"id\": 5}").detail()).isNull();

        assertThat(infer("{\"id\": \"six\", \"extra\": true}").detail()).isEqualTo("schema version 4");
        assertThat(schema()).isEqualTo("{\"type\":\"object\",\"properties\":{"
                + "\"id\":{\"type\":[\"number\",\"string\"]},\"name\":{\"type\":\"string\"},"
                + "\"extra\":{\"type\":\"boolean\"}},\"required\":[\"id\"]}");

        assertThat(infer("[1, 2]").detail()).isEqualTo("schema version 5");
        assertThat(schema()).startsWith("{\"type\":[\"object\",\"array\"],")
                .endsWith("\"items\":{\"type\":\"integer\"}}");
        assertThat(version()).isEqualTo(5);
    }

    @Test
    void nestedObjectsAndArraysOfObjectsMerge() {
        infer("""
                {"user": {"email": "a@b.c", "age": 3}, "items": [{"sku": "a", "qty": 1}, {"sku": "b"}]}""");

        assertThat(schema()).isEqualTo("{\"type\":\"object\",\"properties\":{"
                + "\"user\":{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\"},"
                + "\"age\":{\"type\":\"integer\"}},\"required\":[\"email\",\"age\"]},"
                + "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
                + "\"sku\":{\"type\":\"string\"},\"qty\":{\"type\":\"integer\"}},\"required\":[\"sku\"]}}},"
                + "\"required\":[\"user\",\"items\"]}");

        infer("{\"user\": {\"email\": null}, \"items\": []}");

        assertThat(schema()).contains("\"email\":{\"type\":[\"null\",\"string\"]}")
                .contains("\"required\":[\"email\"]");
        assertThat(version()).isEqualTo(2);
    }

    @Test
    void aPayloadThatIsNotJsonIsAnErrorAndChangesNothing() {
        infer("{\"id\": 1}");

        StepReport report = infer("{\"id\": ");

        assertThat(report.outcome()).isEqualTo(StepOutcome.ERROR);
        assertThat(report.detail()).startsWith("payload is not JSON");
        assertThat(version()).isEqualTo(1);
    }

    @Test
    void audiencesHaveTheirOwnSchemas() throws Exception {
        schemas.observe("a/t/produce", JSON.readTree("{\"x\": 1}"));
        schemas.observe("b/t/produce", JSON.readTree("[true]"));

        assertThat(schemas.all()).containsOnlyKeys("a/t/produce", "b/t/produce");
        assertThat(schemas.current("b/t/produce").orElseThrow().schema().toString())
                .isEqualTo("{\"type\":\"array\",\"items\":{\"type\":\"boolean\"}}");
        assertThat(schemas.current("c/t/produce")).isEmpty();
    }

    @Test
    void callersGetCopiesTheyCannotCorrupt() throws Exception {
        schemas.observe("a", JSON.readTree("{\"x\": 1}"));

        ((com.fasterxml.jackson.databind.node.ObjectNode) schemas.current("a").orElseThrow().schema()).removeAll();

        assertThat(schemas.current("a").orElseThrow().schema().toString()).contains("\"x\"");
        assertThat(schemas.observe("a", JSON.readTree("{\"x\": 2}"))).isFalse();
    }

    @Test
    void concurrentObserversBumpTheVersionOncePerChangeAndLoseNoWidening() throws Exception {
        List<JsonNode> shapes = List.of(
                JSON.readTree("{\"id\": 1, \"name\": \"a\"}"),
                JSON.readTree("{\"id\": 1.5, \"name\": \"a\"}"),
                JSON.readTree("{\"id\": 1}"),
                JSON.readTree("{\"id\": 1, \"name\": null, \"tags\": [\"t\"]}"),
                JSON.readTree("{\"id\": \"s\", \"nested\": {\"deep\": [1, {\"k\": true}]}}"),
                JSON.readTree("[1, 2]"));
        AtomicInteger changes = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int offset = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    if (schemas.observe(AUDIENCE, shapes.get((i + offset) % shapes.size()))) {
                        changes.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        InferredSchemas sequential = new InferredSchemas();
        shapes.forEach(shape -> sequential.observe(AUDIENCE, shape));
        assertThat(schemas.current(AUDIENCE).orElseThrow().schema())
                .isEqualTo(sequential.current(AUDIENCE).orElseThrow().schema());
        assertThat(version()).isEqualTo(changes.get()).isBetween(1, shapes.size());
    }
}
