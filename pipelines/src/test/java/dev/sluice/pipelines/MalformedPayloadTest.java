package dev.sluice.pipelines;

import static dev.sluice.pipelines.Runs.detective;
import static dev.sluice.pipelines.Runs.extract;
import static dev.sluice.pipelines.Runs.replace;
import static dev.sluice.pipelines.Runs.run;
import static dev.sluice.pipelines.Runs.step;
import static dev.sluice.pipelines.Runs.transform;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A payload that is not JSON is an error answer with the reason, for every step, and never an exception. */
class MalformedPayloadTest {
    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("not json", "payload is not JSON: Unrecognized token 'not'"),
                Arguments.of("{\"user\": {\"email\": \"ada@example.com\"", "payload is not JSON: Unexpected end-of-input"),
                Arguments.of("{\"user\": {\"email\": \"ada@exam", "payload is not JSON: Unexpected end-of-input"),
                Arguments.of("[1, 2", "payload is not JSON: Unexpected end-of-input"),
                Arguments.of("", "payload is empty, not JSON"),
                Arguments.of("   \n", "payload is empty, not JSON"),
                Arguments.of("{\"user\": {}} {}", "payload is not JSON: "),
                Arguments.of("{\"user\": {\"email\": \"a@b.com\"}} trailing", "payload is not JSON: "),
                Arguments.of("{'user': 1}", "payload is not JSON: Unexpected character"),
                Arguments.of("{\"user\": {\"email\": \"a@b.com\",}}", "payload is not JSON: Unexpected character"),
                Arguments.of("{\"user\": NaN}", "payload is not JSON: Non-standard token 'NaN'"));
    }

    static Stream<Arguments> stepsAndPayloads() {
        List<StepSpec> steps = List.of(
                detective("pii_email", "user.email"),
                detective("pii_any", null),
                detective("pii_keyword", null),
                detective("has_field", "user"),
                Runs.negated("has_field", "nothing"),
                transform("mask", "user.email"),
                replace("user", "1"),
                transform("delete_field", "user"),
                extract(true, "user"));
        return steps.stream().flatMap(step -> payloads().map(payload -> Arguments.of(step, payload.get()[0],
                payload.get()[1])));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("stepsAndPayloads")
    void answersErrorWithTheReason(StepSpec stepSpec, String payload, String reason) {
        ChainResult result = run(payload, stepSpec);

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.ERROR);
        assertThat(step(result, 0).detail()).startsWith(reason);
        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.changed()).isFalse();
        assertThat(new String(result.value(), StandardCharsets.UTF_8)).isEqualTo(payload);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("payloads")
    void theMessageSaysWhereItBroke(String payload, String reason) {
        ChainResult result = run(payload, detective("pii_email", null));

        if (!payload.isBlank()) {
            assertThat(step(result, 0).detail()).matches(".* at byte \\d+");
        }
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void refusesBytesThatAreNotUtf8Json(byte[] payload) {
        ChainResult result = run(payload, detective("pii_email", null));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.ERROR);
        assertThat(step(result, 0).detail()).startsWith("payload is not JSON");
    }

    static Stream<Arguments> encodings() {
        return Stream.of(
                Arguments.of((Object) "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_16BE)),
                Arguments.of((Object) new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}),
                Arguments.of((Object) new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}));
    }
}
