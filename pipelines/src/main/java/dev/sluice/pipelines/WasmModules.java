package dev.sluice.pipelines;

/** Where compiled pipelines find the WebAssembly modules their wasm steps name. */
@FunctionalInterface
public interface WasmModules {
    WasmModules NONE = id -> null;

    /** The module's bytes, or null when no module has that id. */
    byte[] module(String id);
}
