package dev.sluice.pipelines.internal;

import dev.sluice.pipelines.InferredSchemas;

/** The per-record state a run of pipelines carries from step to step. One per record; not shared across threads. */
public final class StepContext {
    private final Payload payload;
    private final String audience;
    private final InferredSchemas schemas;
    private Matches matches = Matches.NONE;

    public StepContext(Payload payload, String audience, InferredSchemas schemas) {
        this.payload = payload;
        this.audience = audience;
        this.schemas = schemas;
    }

    public Payload payload() {
        return payload;
    }

    /** The audience the record belongs to ("service/topic/direction"), which keys inferred schemas. */
    public String audience() {
        return audience;
    }

    public InferredSchemas schemas() {
        return schemas;
    }

    /** What the last detective step matched in this pipeline run, {@link Matches#NONE} before one ran. */
    public Matches matches() {
        return matches;
    }

    public void matches(Matches matches) {
        this.matches = matches;
    }
}
