package dev.sluice.pipelines;

import static dev.sluice.pipelines.Chains.report;
import static dev.sluice.pipelines.Chains.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static StepSpec validation(String schema) throws Exception {
        return StepSpec.schemaValidation("s", new SchemaValidationSpec(JSON.readTree(schema)));
    }

    /** Per draft, a schema using a keyword whose meaning is that draft's, a valid and an invalid payload. */
    static Stream<Arguments> drafts() {
        return Stream.of(
                // Draft 4: exclusiveMaximum is a boolean modifier of maximum.
                Arguments.of("draft 4", """
                        {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["n"],
                         "properties": {"n": {"type": "number", "maximum": 5, "exclusiveMaximum": true}}}""",
                        "{\"n\": 4.5}", "{\"n\": 5}", "/n: must have a maximum value of 5"),
                // Draft 6: exclusiveMaximum is a number of its own; const is new.
                Arguments.of("draft 6", """
                        {"$schema": "http://json-schema.org/draft-06/schema#",
                         "properties": {"n": {"exclusiveMaximum": 5}, "kind": {"const": "order"}}}""",
                        "{\"n\": 4, \"kind\": \"order\"}", "{\"n\": 4, \"kind\": \"refund\"}",
                        "/kind: must be the constant value 'order'"),
                // Draft 7: if / then.
                Arguments.of("draft 7", """
                        {"$schema": "http://json-schema.org/draft-07/schema#",
                         "if": {"properties": {"kind": {"const": "card"}}}, "then": {"required": ["last4"]}}""",
                        "{\"kind\": \"card\", \"last4\": \"4242\"}", "{\"kind\": \"card\"}",
                        "(root): required property 'last4' not found"),
                // 2019-09: dependentRequired.
                Arguments.of("draft 2019-09", """
                        {"$schema": "https://json-schema.org/draft/2019-09/schema",
                         "dependentRequired": {"card": ["billing"]}}""",
                        "{\"card\": 1, \"billing\": 2}", "{\"card\": 1}", "has a missing property 'billing'"),
                // 2020-12: prefixItems, and items for the rest.
                Arguments.of("draft 2020-12", """
                        {"$schema": "https://json-schema.org/draft/2020-12/schema",
                         "prefixItems": [{"type": "integer"}, {"type": "string"}], "items": false}""",
                        "[1, \"a\"]", "[1, \"a\", true]", "index '2' is not defined in the schema"),
                // No $schema: 2020-12, so prefixItems applies (draft 7 would ignore it).
                Arguments.of("default (2020-12)", """
                        {"prefixItems": [{"type": "integer"}, {"type": "string"}]}""",
                        "[1, \"a\"]", "[1, 2]", "/1: integer found, string expected"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drafts")
    void eachDraftValidatesWithItsOwnKeywords(String draft, String schema, String valid, String invalid,
                                              String violation) throws Exception {
        StepSpec step = validation(schema);

        ChainResult passed = run(step, valid);
        assertThat(report(passed).outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(report(passed).detail()).isNull();

        ChainResult failed = run(step, invalid);
        assertThat(report(failed).outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(report(failed).detail()).startsWith("1 violation: ").contains(violation);
        assertThat(failed.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void theFalseDetailListsTheFirstViolationsWithTheirPaths() throws Exception {
        StepSpec step = validation("""
                {"type": "object", "required": ["id"], "properties": {
                  "a": {"type": "integer"}, "b": {"type": "integer"}, "c": {"type": "integer"},
                  "d": {"type": "integer"}, "e": {"type": "integer"}, "f": {"type": "integer"}}}""");

        ChainResult result = run(step, """
                {"a": "x", "b": "x", "c": "x", "d": "x", "e": "x", "f": "x"}""");

        assertThat(report(result).detail())
                .startsWith("7 violations: ")
                .contains("/a: string found, integer expected")
                .endsWith("; and 2 more");
    }

    @Test
    void aFalseAnswerFollowsItsCondition() throws Exception {
        StepSpec step = validation("{\"type\": \"object\", \"required\": [\"id\"]}")
                .onFalse(ConditionSpec.then(ConditionSpec.Then.DEAD_LETTER));

        ChainResult result = run(step, "{\"name\": \"x\"}");

        assertThat(result.verdict()).isEqualTo(Verdict.DEAD_LETTER);
        assertThat(result.deadLetter()).isEqualTo("topic.dead-letter");
        assertThat(result.reason()).contains("answered false: 1 violation: (root): required property 'id' not found");
    }

    @Test
    void aPayloadThatIsNotJsonIsAnError() throws Exception {
        StepSpec step = validation("{\"type\": \"object\"}");

        for (String payload : new String[] {"{\"a\": ", "not json", ""}) {
            ChainResult result = run(step, payload);
            assertThat(report(result).outcome()).as(payload).isEqualTo(StepOutcome.ERROR);
            assertThat(report(result).detail()).as(payload).contains("not JSON");
        }
    }

    /** Schemas the step refuses when the pipeline is compiled, and what the message says. */
    static Stream<Arguments> invalidSchemas() {
        return Stream.of(
                Arguments.of("{\"type\": \"strnig\"}", "is not a valid draft 2020-12 schema: "),
                Arguments.of("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": 12}",
                        "is not a valid draft 7 schema: "),
                Arguments.of("{\"minimum\": \"x\"}", "/minimum: string found, number expected"),
                Arguments.of("{\"pattern\": \"[\"}", "Unclosed character class"),
                Arguments.of("{\"$ref\": \"#/$defs/missing\"}", "Reference /$defs/missing cannot be resolved"),
                Arguments.of("{\"$schema\": \"https://example.com/my-dialect\"}",
                        "$schema 'https://example.com/my-dialect' is not one of drafts 4, 6, 7, 2019-09, 2020-12"),
                Arguments.of("{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"items\": true}",
                        "is not a valid draft 4 schema"),
                Arguments.of("\"a string\"", "must be a JSON object (or true/false), not string"),
                Arguments.of("null", "schemaValidation.schema is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSchemas")
    void anInvalidSchemaFailsTheCompile(String schema, String message) throws Exception {
        StepSpec step = validation(schema);

        assertThatThrownBy(() -> Chains.pipeline(WasmModules.NONE, step))
                .isInstanceOf(PipelineException.class)
                .hasMessageStartingWith("step 's': ")
                .hasMessageContaining(message);
    }

    @Test
    void aStepWithoutASchemaFailsTheCompile() {
        StepSpec step = StepSpec.schemaValidation("s", new SchemaValidationSpec(null));

        assertThatThrownBy(() -> Chains.pipeline(WasmModules.NONE, step))
                .isInstanceOf(PipelineException.class)
                .hasMessage("step 's': schemaValidation.schema is required");
    }

    @Test
    void booleanSchemasAcceptEverythingOrNothing() throws Exception {
        assertThat(report(run(validation("true"), "{\"a\": 1}")).outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(report(run(validation("false"), "{\"a\": 1}")).outcome()).isEqualTo(StepOutcome.FALSE);
    }

    @Test
    void localReferencesResolveWithinTheSchema() throws Exception {
        StepSpec step = validation("""
                {"$id": "https://example.com/order.json",
                 "$defs": {"money": {"type": "number", "minimum": 0}},
                 "properties": {"total": {"$ref": "#/$defs/money"}, "tax": {"$ref": "order.json#/$defs/money"}}}""");

        assertThat(report(run(step, "{\"total\": 3, \"tax\": 1}")).outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(report(run(step, "{\"total\": -3}")).outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(report(run(step, "{\"tax\": -1}")).outcome()).isEqualTo(StepOutcome.FALSE);
    }

    @Test
    void aRemoteReferenceIsRefusedWithoutTouchingTheNetwork() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/user.json";
            JsonNode schema = JSON.readTree("{\"properties\": {\"user\": {\"$ref\": \"" + url + "\"}}}");
            StepSpec step = StepSpec.schemaValidation("s", new SchemaValidationSpec(schema));

            assertThatThrownBy(() -> Chains.pipeline(WasmModules.NONE, step))
                    .isInstanceOf(PipelineException.class)
                    .hasMessageContaining("Schema from '" + url + "' is not allowed to be loaded");

            server.setSoTimeout(200);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void classpathAndFileReferencesAreRefusedToo() throws Exception {
        for (String ref : new String[] {"classpath:draft/2020-12/schema", "file:///etc/passwd"}) {
            StepSpec step = validation("{\"$ref\": \"" + ref + "\"}");
            assertThatThrownBy(() -> Chains.pipeline(WasmModules.NONE, step))
                    .as(ref)
                    .isInstanceOf(PipelineException.class)
                    .hasMessageContaining("is not allowed to be loaded");
        }
    }

    @Test
    void oneCompiledStepValidatesFromManyThreads() throws Exception {
        StepSpec step = validation("{\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}}");
        PipelineChain chain = Chains.chain(Chains.pipeline(WasmModules.NONE, step), new InferredSchemas());

        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 500; i++) {
                    boolean valid = i % 2 == 0;
                    byte[] value = (valid ? "{\"n\": " + i + "}" : "{\"n\": \"" + i + "\"}").getBytes();
                    StepOutcome outcome = chain.process(value, "topic", true).trace().getFirst().outcome();
                    if (outcome != (valid ? StepOutcome.TRUE : StepOutcome.FALSE)) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(wrong).hasValue(0);
    }
}
