package dev.sluice.pipelines.internal.schema;

import dev.sluice.pipelines.InferredSchemas;
import dev.sluice.pipelines.StepOutcome;
import dev.sluice.pipelines.internal.Step;
import dev.sluice.pipelines.internal.StepContext;
import dev.sluice.pipelines.internal.StepError;
import dev.sluice.pipelines.internal.StepResult;

/**
 * Merges the payload's shape into the audience's inferred schema. Inference never fails a record: the answer is true
 * for any JSON payload (with "schema version N" as detail when the payload changed the schema, so a traced run shows
 * it) and error only when the payload is not JSON.
 */
final class InferSchemaStep implements Step {
    static final InferSchemaStep INSTANCE = new InferSchemaStep();

    private InferSchemaStep() {
    }

    @Override
    public StepResult run(StepContext context) {
        InferredSchemas schemas = context.schemas();
        if (schemas == null) {
            throw new StepError("no inferred-schema store is attached to this chain");
        }
        int version = schemas.observeVersion(context.audience(), context.payload().tree());
        return version == 0 ? StepResult.TRUE : new StepResult(StepOutcome.TRUE, "schema version " + version);
    }
}
