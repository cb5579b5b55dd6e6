package dev.sluice.pipelines.internal;

import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.StepOutcome;
import dev.sluice.pipelines.StepSpec;
import dev.sluice.pipelines.WasmModules;
import dev.sluice.pipelines.internal.detective.DetectiveStep;
import dev.sluice.pipelines.internal.schema.SchemaSteps;
import dev.sluice.pipelines.internal.transform.TransformStep;
import dev.sluice.pipelines.internal.wasm.WasmStep;

/** A step with its conditions, ready to run. */
public record CompiledStep(String name, Step step, CompiledCondition onTrue, CompiledCondition onFalse,
                           CompiledCondition onError) {

    public static CompiledStep compile(StepSpec spec, int index, WasmModules modules) {
        String label = spec.label(index);
        Step step = switch (spec.kind(label)) {
            case DETECTIVE -> DetectiveStep.compile(spec.detective(), label);
            case TRANSFORM -> TransformStep.compile(spec.transform(), label);
            case SCHEMA_VALIDATION -> SchemaSteps.validation(spec.schemaValidation(), label);
            case VALID_JSON -> SchemaSteps.validJson(label);
            case INFER_SCHEMA -> SchemaSteps.inferSchema(label);
            case WASM -> WasmStep.compile(spec.wasm(), modules, label);
        };
        if (step == null) {
            throw new PipelineException(label + " compiled to nothing");
        }
        String name = spec.name() == null || spec.name().isBlank() ? "steps[" + index + "]" : spec.name();
        return new CompiledStep(name, step,
                CompiledCondition.compile(spec.onTrue(), CompiledCondition.CONTINUE, label + " onTrue"),
                CompiledCondition.compile(spec.onFalse(), CompiledCondition.CONTINUE, label + " onFalse"),
                CompiledCondition.compile(spec.onError(), CompiledCondition.ABORT_PIPELINE, label + " onError"));
    }

    public CompiledCondition condition(StepOutcome outcome) {
        return switch (outcome) {
            case TRUE -> onTrue;
            case FALSE -> onFalse;
            case ERROR -> onError;
        };
    }
}
