package dev.sluice.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.Map;

/**
 * What happens after a step answers: {@code then} is one of {@code continue}, {@code abort_pipeline} (the record goes
 * on to the next pipeline as it is now), {@code abort_all} (the record goes on, no further pipeline runs),
 * {@code drop} (the record is not written or delivered) or {@code dead_letter} (it goes to {@code topic}, default
 * {@code <topic>.dead-letter}, instead). {@code metadata} adds record headers; {@code notify} publishes an event on
 * the ops topic ({@code notifyOps} here, because a record component may not be called {@code notify}), and to {@code webhook} when one is given.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConditionSpec(String then, String topic, Map<String, String> metadata,
                            @JsonProperty("notify") Boolean notifyOps, String webhook) {

    public enum Then { CONTINUE, ABORT_PIPELINE, ABORT_ALL, DROP, DEAD_LETTER }

    public static ConditionSpec then(Then then) {
        return new ConditionSpec(then.name().toLowerCase(Locale.ROOT), null, null, null, null);
    }

    public ConditionSpec withMetadata(Map<String, String> metadata) {
        return new ConditionSpec(then, topic, metadata, notifyOps, webhook);
    }

    public ConditionSpec withNotify() {
        return new ConditionSpec(then, topic, metadata, true, webhook);
    }

    public ConditionSpec withTopic(String topic) {
        return new ConditionSpec(then, topic, metadata, notifyOps, webhook);
    }

    /**
     * The action, {@code fallback} when none is given.
     *
     * @throws PipelineException when {@code then} is not one of the accepted words
     */
    public Then thenOr(Then fallback, String where) {
        if (then == null || then.isBlank()) {
            return fallback;
        }
        try {
            return Then.valueOf(then.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PipelineException(where + ": then '" + then + "' must be one of continue, abort_pipeline, "
                    + "abort_all, drop, dead_letter");
        }
    }
}
