package dev.sluice.pipelines;

import static dev.sluice.pipelines.Chains.report;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidJsonTest {
    private static StepReport check(byte[] value) {
        Pipeline pipeline = Chains.pipeline(WasmModules.NONE, StepSpec.validJson("json"));
        return report(Chains.chain(pipeline, new InferredSchemas()).process(value, "topic", true));
    }

    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("{\"a\": [1, 2.5, {\"b\": null}], \"c\": \"\\u00e9\"}", null),
                Arguments.of("[]", null),
                Arguments.of("\"just a string\"", null),
                Arguments.of("42", null),
                Arguments.of("-1.5e3", null),
                Arguments.of("true", null),
                Arguments.of("null", null),
                Arguments.of("  \n {\"a\": 1} \r\n\t ", null),
                Arguments.of("{\"a\": }", "Unexpected character ('}' (code 125)): expected a value at byte 6"),
                Arguments.of("{\"a\": 1", "Unexpected end-of-input: expected close marker for Object"),
                Arguments.of("[1, 2,]", "Unexpected character (']' (code 93)): expected a value at byte 6"),
                Arguments.of("{'a': 1}", "Unexpected character (''' (code 39))"),
                Arguments.of("{\"a\": 1} x", "Unrecognized token 'x'"),
                Arguments.of("{\"a\": 1}{\"b\": 2}", "trailing content after the JSON value at byte 8"),
                Arguments.of("1 2", "trailing content after the JSON value at byte 2"),
                Arguments.of("{\"a\": 01}", "Invalid numeric value: Leading zeroes not allowed"),
                Arguments.of("hello", "Unrecognized token 'hello'"),
                Arguments.of("", "payload is empty"),
                Arguments.of("   ", "payload is only whitespace"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("payloads")
    void answersWhetherThePayloadIsOneJsonValue(String payload, String failure) {
        StepReport report = check(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        if (failure == null) {
            assertThat(report.outcome()).isEqualTo(StepOutcome.TRUE);
            assertThat(report.detail()).isNull();
        } else {
            assertThat(report.outcome()).isEqualTo(StepOutcome.FALSE);
            assertThat(report.detail()).contains(failure);
        }
    }

    @Test
    void invalidUtf8InAStringIsNotJson() {
        byte[] value = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};

        StepReport report = check(value);

        assertThat(report.outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(report.detail()).contains("Invalid UTF-8").contains("at byte");
    }

    @Test
    void aFalseAnswerCanDropTheRecordAndAnErrorNeverHappens() {
        Pipeline pipeline = Chains.pipeline(WasmModules.NONE,
                StepSpec.validJson("json").onFalse(ConditionSpec.then(ConditionSpec.Then.DROP)));
        PipelineChain chain = Chains.chain(pipeline, new InferredSchemas());

        for (String value : List.of("{}", "nope")) {
            ChainResult result = chain.process(value.getBytes(), "topic", false);
            assertThat(result.verdict()).as(value).isEqualTo(value.equals("{}") ? Verdict.PASS : Verdict.DROP);
        }
    }
}
