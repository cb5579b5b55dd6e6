package dev.sluice.pipelines.internal.wasm;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import dev.sluice.pipelines.StepOutcome;

/**
 * One live instance of a module and the host's side of the ABI (see the module README, "WebAssembly ABI"). Used by
 * one thread at a time: a step's pool hands it to the worker running a record and takes it back afterwards.
 */
final class WasmInstance {
    private static final long PAGE = 65536;

    private final ExportFunction alloc;
    private final ExportFunction process;
    private final Memory memory;
    private final int maxPages;
    private final int initialPages;

    WasmInstance(Instance instance, int maxPages) {
        this.alloc = instance.export(CompiledWasmModule.ALLOC);
        this.process = instance.export(CompiledWasmModule.PROCESS);
        this.memory = instance.exports().memory(CompiledWasmModule.MEMORY);
        this.maxPages = maxPages;
        this.initialPages = memory.pages();
    }

    /**
     * Runs {@code process} on one record: payload and args into memory from one {@code alloc}, the call, the answer
     * out. A violation of the ABI found by the host (pointers outside memory, an unknown result code) is an error
     * answer; a trap is thrown (Chicory's exceptions), after which the instance must not be used again.
     */
    WasmAnswer process(byte[] payload, byte[] args) {
        int length = payload == null ? 0 : payload.length;
        long size = (long) length + args.length;
        if (size > maxPages * PAGE) {
            // It could never fit: say so rather than let the module trap in alloc.
            return WasmAnswer.error("payload of " + length + " bytes does not fit the wasm memory limit of "
                    + maxPages * PAGE / 1024 + " KiB");
        }
        long ptr = Integer.toUnsignedLong((int) alloc.apply(size)[0]);
        if (!inMemory(ptr, size)) {
            return WasmAnswer.error("wasm alloc(" + size + ") returned " + range(ptr, size) + ", outside memory ("
                    + memoryBytes() + " bytes)");
        }
        if (length > 0) {
            memory.write((int) ptr, payload);
        }
        if (args.length > 0) {
            memory.write((int) (ptr + length), args);
        }
        long result = process.apply(ptr, length, ptr + length, args.length)[0];
        long outPtr = result >>> 32;
        long outLength = result & 0xFFFF_FFFFL;
        if (outLength == 0) {
            return WasmAnswer.error("wasm output is empty: it must start with a result code");
        }
        if (!inMemory(outPtr, outLength)) {
            return WasmAnswer.error("wasm output " + range(outPtr, outLength) + " is outside memory ("
                    + memoryBytes() + " bytes)");
        }
        int code = memory.read((int) outPtr) & 0xFF;
        byte[] rest = outLength == 1 ? null : memory.readBytes((int) outPtr + 1, (int) outLength - 1);
        return switch (code) {
            case 0 -> new WasmAnswer(StepOutcome.TRUE, rest, null);
            case 1 -> new WasmAnswer(StepOutcome.FALSE, rest, null);
            case 2 -> WasmAnswer.error(rest == null ? "wasm module answered error"
                    : WasmErrors.message(rest));
            default -> WasmAnswer.error("wasm result code " + code + " is not 0 (true), 1 (false) or 2 (error)");
        };
    }

    /**
     * Whether the instance is worth keeping for the next record: not when one large record grew its memory more than
     * 1 MiB past where it started, which an idle pooled instance would otherwise hold on to.
     */
    boolean keep() {
        return memory.pages() <= initialPages + 16;
    }

    private boolean inMemory(long ptr, long size) {
        return ptr + size <= memoryBytes();
    }

    private long memoryBytes() {
        return memory.pages() * PAGE;
    }

    private static String range(long ptr, long size) {
        return "[" + ptr + ", " + (ptr + size) + ")";
    }
}
