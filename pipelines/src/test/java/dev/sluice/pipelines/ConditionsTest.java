package dev.sluice.pipelines;

import static dev.sluice.pipelines.Runs.chain;
import static dev.sluice.pipelines.Runs.detective;
import static dev.sluice.pipelines.Runs.json;
import static dev.sluice.pipelines.Runs.pipeline;
import static dev.sluice.pipelines.Runs.replace;
import static dev.sluice.pipelines.Runs.transform;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's conditions, driven by detective answers. */
class ConditionsTest {
    private static final byte[] ORDER = json("{'id': 1, 'email': 'ada@example.com', 'ssn': '123-45-6789'}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] CLEAN = json("{'id': 2, 'email': 'none'}").getBytes(StandardCharsets.UTF_8);

    private static ConditionSpec then(ConditionSpec.Then then) {
        return ConditionSpec.then(then);
    }

    private static JsonNode value(ChainResult result) {
        return Runs.value(result);
    }

    @Test
    void dropOnTrue() {
        PipelineChain chain = chain(pipeline("guard",
                detective("pii_ssn", null).onTrue(then(ConditionSpec.Then.DROP))));

        ChainResult dropped = chain.process(ORDER, "orders", false);
        ChainResult passed = chain.process(CLEAN, "orders", false);

        assertThat(dropped.verdict()).isEqualTo(Verdict.DROP);
        assertThat(dropped.reason()).isEqualTo("pipeline 'guard' step 'steps[0]' answered true");
        assertThat(passed.verdict()).isEqualTo(Verdict.PASS);
        assertThat(passed.value()).isSameAs(CLEAN);
    }

    @Test
    void deadLetterCarriesTheValueAsThePipelineLeftIt() {
        PipelineChain chain = chain(pipeline("mask-then-park",
                detective("pii_email", null),
                transform("mask", null),
                detective("pii_ssn", null).onTrue(then(ConditionSpec.Then.DEAD_LETTER).withTopic("quarantine"))));

        ChainResult result = chain.process(ORDER, "orders", false);

        assertThat(result.verdict()).isEqualTo(Verdict.DEAD_LETTER);
        assertThat(result.deadLetter()).isEqualTo("quarantine");
        assertThat(result.changed()).isTrue();
        assertThat(value(result).get("email").asText()).isEqualTo("***************");
    }

    @Test
    void deadLetterDefaultsToTheTopicsDeadLetterTopic() {
        PipelineChain chain = chain(pipeline("p",
                detective("has_field", "ssn").onTrue(then(ConditionSpec.Then.DEAD_LETTER))));

        assertThat(chain.process(ORDER, "orders", false).deadLetter()).isEqualTo("orders.dead-letter");
    }

    @Test
    void metadataAndNotificationsComeFromTheConditionThatApplied() {
        PipelineChain chain = chain(pipeline("tag",
                StepSpec.detective("has-email", new DetectiveSpec("pii_email", null))
                        .onTrue(then(ConditionSpec.Then.CONTINUE).withMetadata(Map.of("pii", "email")).withNotify())
                        .onFalse(then(ConditionSpec.Then.CONTINUE).withMetadata(Map.of("pii", "none")))));

        ChainResult found = chain.process(ORDER, "orders", false);
        ChainResult clean = chain.process(CLEAN, "orders", false);

        assertThat(found.headers()).containsExactly(Map.entry("pii", "email"));
        assertThat(found.notifications()).singleElement().satisfies(notification -> {
            assertThat(notification.pipeline()).isEqualTo("tag");
            assertThat(notification.step()).isEqualTo("has-email");
            assertThat(notification.outcome()).isEqualTo(StepOutcome.TRUE);
        });
        assertThat(clean.headers()).containsExactly(Map.entry("pii", "none"));
        assertThat(clean.notifications()).isNull();
    }

    @Test
    void abortPipelineSkipsTheRestOfThatPipelineOnly() {
        PipelineChain chain = chain(
                pipeline("first", detective("has_field", "ssn").onTrue(then(ConditionSpec.Then.ABORT_PIPELINE)),
                        replace("id", "100")),
                pipeline("second", replace("email", "\"x\"")));

        ChainResult result = chain.process(ORDER, "orders", true);

        assertThat(value(result).get("id").asInt()).isEqualTo(1);
        assertThat(value(result).get("email").asText()).isEqualTo("x");
        assertThat(result.trace()).extracting(StepReport::pipeline).containsExactly("first", "second");
    }

    @Test
    void abortAllSkipsEveryLaterPipeline() {
        PipelineChain chain = chain(
                pipeline("first", detective("has_field", "ssn").onTrue(then(ConditionSpec.Then.ABORT_ALL)),
                        replace("id", "100")),
                pipeline("second", replace("email", "\"x\"")));

        ChainResult result = chain.process(ORDER, "orders", true);

        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.changed()).isFalse();
        assertThat(result.trace()).extracting(StepReport::pipeline).containsExactly("first");
    }

    @Test
    void anErrorAbortsItsPipelineByDefaultAndTheNextStillRuns() {
        PipelineChain chain = chain(
                pipeline("first", detective("pii_email", null), transform("mask", null)),
                pipeline("second", detective("pii_email", null).onError(then(ConditionSpec.Then.DROP))));

        ChainResult result = chain.process("{broken".getBytes(StandardCharsets.UTF_8), "orders", true);

        assertThat(result.trace()).extracting(StepReport::outcome)
                .containsExactly(StepOutcome.ERROR, StepOutcome.ERROR);
        assertThat(result.verdict()).isEqualTo(Verdict.DROP);
        assertThat(result.reason()).startsWith("pipeline 'second' step 'steps[0]' answered error: payload is not JSON");
    }

    @Test
    void matchesDoNotLeakFromOnePipelineToTheNext() {
        PipelineChain chain = chain(
                pipeline("first", detective("pii_email", null)),
                pipeline("second", transform("mask", null)));

        ChainResult result = chain.process(ORDER, "orders", true);

        assertThat(result.changed()).isFalse();
        assertThat(result.trace().get(1).outcome()).isEqualTo(StepOutcome.FALSE);
    }

    @Test
    void theTraceShowsThePayloadAfterEachStep() {
        PipelineChain chain = chain(pipeline("p", detective("pii_email", null), transform("mask", null)));

        ChainResult result = chain.process(ORDER, "orders", true);

        assertThat(result.trace().get(0).payloadAfter()).contains("ada@example.com");
        assertThat(result.trace().get(1).payloadAfter()).contains("\"***************\"");
    }
}
