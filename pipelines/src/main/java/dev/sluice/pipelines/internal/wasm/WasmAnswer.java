package dev.sluice.pipelines.internal.wasm;

import dev.sluice.pipelines.StepOutcome;

/**
 * What a module answered for one record, or why it could not.
 *
 * @param outcome true, false or error
 * @param payload the new payload for true and false, null to keep the record's
 * @param detail  for an error, the module's message or what went wrong in the host
 */
record WasmAnswer(StepOutcome outcome, byte[] payload, String detail) {
    static WasmAnswer error(String detail) {
        return new WasmAnswer(StepOutcome.ERROR, null, detail);
    }
}
