package dev.sluice.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a pipeline: exactly one kind ({@code detective}, {@code transform}, {@code schemaValidation},
 * {@code validJson}, {@code inferSchema} or {@code wasm}) and what to do when it answers true, false or fails.
 * A condition left out means {@code continue} for true and false and {@code abort_pipeline} for an error.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepSpec(String name, DetectiveSpec detective, TransformSpec transform,
                       SchemaValidationSpec schemaValidation, Boolean validJson, Boolean inferSchema, WasmSpec wasm,
                       ConditionSpec onTrue, ConditionSpec onFalse, ConditionSpec onError) {

    public enum Kind { DETECTIVE, TRANSFORM, SCHEMA_VALIDATION, VALID_JSON, INFER_SCHEMA, WASM }

    public static StepSpec detective(String name, DetectiveSpec detective) {
        return new StepSpec(name, detective, null, null, null, null, null, null, null, null);
    }

    public static StepSpec transform(String name, TransformSpec transform) {
        return new StepSpec(name, null, transform, null, null, null, null, null, null, null);
    }

    public static StepSpec schemaValidation(String name, SchemaValidationSpec schema) {
        return new StepSpec(name, null, null, schema, null, null, null, null, null, null);
    }

    public static StepSpec validJson(String name) {
        return new StepSpec(name, null, null, null, true, null, null, null, null, null);
    }

    public static StepSpec inferSchema(String name) {
        return new StepSpec(name, null, null, null, null, true, null, null, null, null);
    }

    public static StepSpec wasm(String name, WasmSpec wasm) {
        return new StepSpec(name, null, null, null, null, null, wasm, null, null, null);
    }

    public StepSpec onTrue(ConditionSpec condition) {
        return new StepSpec(name, detective, transform, schemaValidation, validJson, inferSchema, wasm, condition,
                onFalse, onError);
    }

    public StepSpec onFalse(ConditionSpec condition) {
        return new StepSpec(name, detective, transform, schemaValidation, validJson, inferSchema, wasm, onTrue,
                condition, onError);
    }

    public StepSpec onError(ConditionSpec condition) {
        return new StepSpec(name, detective, transform, schemaValidation, validJson, inferSchema, wasm, onTrue,
                onFalse, condition);
    }

    /** The step's name, or {@code steps[i]} when it has none: how error messages refer to it. */
    public String label(int index) {
        return name == null || name.isBlank() ? "steps[" + index + "]" : "step '" + name + "'";
    }

    /**
     * The one kind this step is.
     *
     * @throws PipelineException when it names no kind or more than one
     */
    public Kind kind(String label) {
        Kind kind = null;
        int kinds = 0;
        if (detective != null) {
            kind = Kind.DETECTIVE;
            kinds++;
        }
        if (transform != null) {
            kind = Kind.TRANSFORM;
            kinds++;
        }
        if (schemaValidation != null) {
            kind = Kind.SCHEMA_VALIDATION;
            kinds++;
        }
        if (Boolean.TRUE.equals(validJson)) {
            kind = Kind.VALID_JSON;
            kinds++;
        }
        if (Boolean.TRUE.equals(inferSchema)) {
            kind = Kind.INFER_SCHEMA;
            kinds++;
        }
        if (wasm != null) {
            kind = Kind.WASM;
            kinds++;
        }
        if (kinds != 1) {
            throw new PipelineException(label + " must have exactly one of detective, transform, schemaValidation, "
                    + "validJson, inferSchema, wasm (has " + kinds + ")");
        }
        return kind;
    }
}
