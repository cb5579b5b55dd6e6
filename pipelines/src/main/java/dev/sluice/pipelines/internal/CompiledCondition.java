package dev.sluice.pipelines.internal;

import dev.sluice.pipelines.ConditionSpec;
import dev.sluice.pipelines.ConditionSpec.Then;
import dev.sluice.pipelines.PipelineException;
import java.util.Map;

/** A condition checked once at compile time. */
public record CompiledCondition(Then then, String topic, Map<String, String> metadata, boolean notifies,
                                String webhook) {
    static final CompiledCondition CONTINUE = new CompiledCondition(Then.CONTINUE, null, Map.of(), false, null);
    static final CompiledCondition ABORT_PIPELINE =
            new CompiledCondition(Then.ABORT_PIPELINE, null, Map.of(), false, null);

    static CompiledCondition compile(ConditionSpec spec, CompiledCondition fallback, String where) {
        if (spec == null) {
            return fallback;
        }
        Then then = spec.thenOr(fallback.then(), where);
        if (spec.topic() != null && then != Then.DEAD_LETTER) {
            throw new PipelineException(where + ": topic is only for then: dead_letter");
        }
        if (spec.topic() != null && spec.topic().isBlank()) {
            throw new PipelineException(where + ": topic is empty");
        }
        Map<String, String> metadata = spec.metadata() == null ? Map.of() : Map.copyOf(spec.metadata());
        for (String key : metadata.keySet()) {
            if (key.isBlank()) {
                throw new PipelineException(where + ": a metadata key is empty");
            }
        }
        String webhook = spec.webhook();
        if (webhook != null && !(webhook.startsWith("http://") || webhook.startsWith("https://"))) {
            throw new PipelineException(where + ": webhook '" + webhook + "' must be an http:// or https:// URL");
        }
        boolean notify = Boolean.TRUE.equals(spec.notifyOps()) || webhook != null;
        return new CompiledCondition(then, spec.topic(), metadata, notify, webhook);
    }
}
