package dev.sluice.pipelines;

import dev.sluice.pipelines.ConditionSpec.Then;
import dev.sluice.pipelines.internal.CompiledCondition;
import dev.sluice.pipelines.internal.CompiledStep;
import dev.sluice.pipelines.internal.Matches;
import dev.sluice.pipelines.internal.Payload;
import dev.sluice.pipelines.internal.StepContext;
import dev.sluice.pipelines.internal.StepError;
import dev.sluice.pipelines.internal.StepResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered pipelines attached to one audience, run on one record at a time. Immutable and thread-safe: each call
 * keeps its state in locals and a {@link StepContext}, so the broker's event loops and a client's threads share one
 * chain. A record nothing changes comes back as the same array, and a plain pass allocates only the context.
 */
public final class PipelineChain {
    private final String audience;
    private final Pipeline[] pipelines;
    private final InferredSchemas schemas;

    private PipelineChain(String audience, Pipeline[] pipelines, InferredSchemas schemas) {
        this.audience = audience;
        this.pipelines = pipelines;
        this.schemas = schemas;
    }

    public static PipelineChain of(String audience, List<Pipeline> pipelines, InferredSchemas schemas) {
        return new PipelineChain(audience, pipelines.toArray(Pipeline[]::new), schemas);
    }

    public String audience() {
        return audience;
    }

    public List<Pipeline> pipelines() {
        return List.of(pipelines);
    }

    public boolean isEmpty() {
        return pipelines.length == 0;
    }

    /**
     * Runs the pipelines on a record value.
     *
     * @param value the record's value (not changed; a changed value comes back as a new array)
     * @param topic the record's topic: where a dead letter goes when its condition names no topic
     *              ({@code <topic>.dead-letter})
     * @param trace whether to report every step (dry runs and tail), which costs a copy of the payload per step
     */
    public ChainResult process(byte[] value, String topic, boolean trace) {
        Payload payload = new Payload(value);
        StepContext context = new StepContext(payload, audience, schemas);
        Map<String, String> headers = null;
        List<Notification> notifications = null;
        List<StepReport> reports = trace ? new ArrayList<>() : null;
        int errors = 0;
        pipelines:
        for (Pipeline pipeline : pipelines) {
            context.matches(Matches.NONE);
            for (CompiledStep step : pipeline.steps()) {
                StepResult result = run(step, context);
                if (result.outcome() == StepOutcome.ERROR) {
                    errors++;
                }
                CompiledCondition condition = step.condition(result.outcome());
                if (!condition.metadata().isEmpty()) {
                    if (headers == null) {
                        headers = new LinkedHashMap<>();
                    }
                    headers.putAll(condition.metadata());
                }
                if (condition.notifies()) {
                    if (notifications == null) {
                        notifications = new ArrayList<>(2);
                    }
                    notifications.add(new Notification(pipeline.id(), pipeline.version(), step.name(),
                            result.outcome(), result.detail(), condition.webhook()));
                }
                if (reports != null) {
                    reports.add(new StepReport(pipeline.id(), step.name(), result.outcome(), result.detail(),
                            condition.then().name().toLowerCase(java.util.Locale.ROOT),
                            new String(payload.bytes(), StandardCharsets.UTF_8)));
                }
                Then then = condition.then();
                switch (then) {
                    case CONTINUE -> {
                    }
                    case ABORT_PIPELINE -> {
                        continue pipelines;
                    }
                    case ABORT_ALL -> {
                        break pipelines;
                    }
                    case DROP, DEAD_LETTER -> {
                        String reason = "pipeline '" + pipeline.id() + "' step '" + step.name() + "' answered "
                                + result.outcome().name().toLowerCase(java.util.Locale.ROOT)
                                + (result.detail() == null ? "" : ": " + result.detail());
                        boolean dead = then == Then.DEAD_LETTER;
                        String deadLetter = dead
                                ? (condition.topic() != null ? condition.topic() : topic + ".dead-letter")
                                : null;
                        return new ChainResult(dead ? Verdict.DEAD_LETTER : Verdict.DROP, payload.bytes(),
                                payload.changed(), headers, deadLetter, reason, notifications, reports, errors);
                    }
                }
            }
        }
        return new ChainResult(Verdict.PASS, payload.bytes(), payload.changed(), headers, null, null, notifications,
                reports, errors);
    }

    private static StepResult run(CompiledStep step, StepContext context) {
        try {
            StepResult result = step.step().run(context);
            return result == null ? StepResult.error("step answered nothing") : result;
        } catch (StepError e) {
            return StepResult.error(e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return StepResult.error(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
