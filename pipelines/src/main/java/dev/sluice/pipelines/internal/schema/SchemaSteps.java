package dev.sluice.pipelines.internal.schema;

import dev.sluice.pipelines.SchemaValidationSpec;
import dev.sluice.pipelines.internal.Step;

/** Compiles the schema steps: JSON Schema validation, the valid-JSON check and schema inference. */
public final class SchemaSteps {
    private SchemaSteps() {
    }

    /**
     * @throws dev.sluice.pipelines.PipelineException when the schema is missing, names an unknown draft, does not
     *                                                 follow its draft's meta-schema or refers outside itself
     */
    public static Step validation(SchemaValidationSpec spec, String label) {
        return SchemaValidationStep.compile(spec, label);
    }

    public static Step validJson(String label) {
        return ValidJsonStep.INSTANCE;
    }

    public static Step inferSchema(String label) {
        return InferSchemaStep.INSTANCE;
    }
}
