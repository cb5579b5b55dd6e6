package dev.sluice.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A custom WebAssembly step: {@code module} is the id of an uploaded module, {@code args} are handed to it as a JSON
 * object. The ABI is in the module README.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WasmSpec(String module, Map<String, String> args) {
}
