package dev.sluice.pipelines.internal.wasm;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A module parsed, validated, checked against the ABI and translated to JVM bytecode, ready to instantiate. Shared
 * by every step whose module has the same bytes ({@link WasmModuleCache}); immutable.
 *
 * <p>Chicory's compiler turns each wasm function into a JVM method when the module is loaded, so records run as
 * JIT-compiled code, with the interruption checks pointed at {@link WasmDeadline} so that calls can run on the
 * caller's thread under a time limit ({@link #deadlineChecks()}). When a function cannot be compiled (too large for
 * a JVM method, say), the compiler interprets that one function, and if the compiler fails outright the whole module
 * falls back to Chicory's interpreter, correct but about a hundred times slower ({@link #engine()}); either way
 * only an interrupt can stop it then, so its calls run on {@link WasmWorkers}.
 */
final class CompiledWasmModule {
    static final String MEMORY = "memory";
    static final String ALLOC = "alloc";
    static final String PROCESS = "process";

    private static final FunctionType ALLOC_TYPE = FunctionType.of(List.of(ValType.I32), List.of(ValType.I32));
    private static final FunctionType PROCESS_TYPE = FunctionType.of(
            List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of(ValType.I64));

    private final WasmModule module;
    private final Function<Instance, Machine> machines;
    private final String engine;
    private final boolean deadlineChecks;
    private final MemoryLimits declaredMemory;

    private CompiledWasmModule(WasmModule module, Function<Instance, Machine> machines, String engine,
                               boolean deadlineChecks, MemoryLimits declaredMemory) {
        this.module = module;
        this.machines = machines;
        this.engine = engine;
        this.deadlineChecks = deadlineChecks;
        this.declaredMemory = declaredMemory;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong: not wasm, invalid, imports, missing or mistyped exports
     */
    static CompiledWasmModule compile(byte[] bytes) {
        return compile(bytes, true);
    }

    /** {@code deadlineChecks} false: as a module whose code cannot check deadlines (tests of the worker path). */
    static CompiledWasmModule compile(byte[] bytes, boolean deadlineChecks) {
        WasmModule module;
        try {
            module = Parser.parse(bytes);
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("is not a valid WebAssembly module: " + e.getMessage(), e);
        }
        // Sluice gives modules nothing from outside: no WASI, no host functions, no imported memory or tables.
        List<String> imports = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            var imported = module.importSection().getImport(i);
            imports.add(imported.module() + "." + imported.name());
        }
        if (!imports.isEmpty()) {
            throw new IllegalArgumentException("imports " + String.join(", ", imports)
                    + "; wasm steps get no imports");
        }
        int memories = module.memorySection().map(section -> section.memoryCount()).orElse(0);
        if (memories != 1) {
            throw new IllegalArgumentException("must define exactly one memory, not " + memories);
        }
        requireExport(module, MEMORY, ExternalType.MEMORY, null);
        requireExport(module, ALLOC, ExternalType.FUNCTION, ALLOC_TYPE);
        requireExport(module, PROCESS, ExternalType.FUNCTION, PROCESS_TYPE);

        MemoryLimits memory = module.memorySection().orElseThrow().getMemory(0).limits();
        if (memory.shared()) {
            // A wait on shared memory could only be ended by an interrupt, which a deadline does not send.
            throw new IllegalArgumentException("declares a shared memory; wasm steps run one record at a time");
        }
        Function<Instance, Machine> timed = deadlineChecks ? compileWithDeadlineChecks(module) : null;
        if (timed != null) {
            return new CompiledWasmModule(module, timed, "compiler", true, memory);
        }
        try {
            Function<Instance, Machine> machines = MachineFactoryCompiler.builder(module)
                    .withInterpreterFallback(InterpreterFallback.SILENT)
                    .compile();
            return new CompiledWasmModule(module, machines, "compiler", false, memory);
        } catch (RuntimeException | LinkageError e) {
            return new CompiledWasmModule(module, InterpreterMachine::new, "interpreter", false, memory);
        }
    }

    /**
     * Compiles every function to bytecode with the interruption check pointed at {@link WasmDeadline}, or answers
     * null when that cannot be done: a function the compiler would leave to the interpreter (which checks only
     * interrupts), a Chicory whose generated code {@link DeadlineRewriter} does not recognise, or a class loader
     * arrangement in which the generated classes would not see {@link WasmDeadline}.
     */
    private static Function<Instance, Machine> compileWithDeadlineChecks(WasmModule module) {
        if (module.digest() == null || !deadlineVisibleToGeneratedCode()) {
            return null;
        }
        // The compiler's cache is the one door to the generated classes: compile once to capture them, rewrite
        // them, and compile "again" from the cache, which loads the rewritten classes instead of generating any.
        byte[][] generated = new byte[1][];
        try {
            MachineFactoryCompiler.builder(module)
                    .withInterpreterFallback(InterpreterFallback.FAIL)
                    .withCache(new OneModuleCache(null, jar -> generated[0] = jar))
                    .compile();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
        byte[] rewritten = generated[0] == null ? null : DeadlineRewriter.rewrite(generated[0]);
        if (rewritten == null) {
            return null;
        }
        try {
            return MachineFactoryCompiler.builder(module)
                    .withCache(new OneModuleCache(rewritten, jar -> {
                        throw new IllegalStateException("the rewritten classes were not loaded from the cache");
                    }))
                    .compile();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Whether Chicory's class loader, the parent of the generated classes' loader, resolves our WasmDeadline. */
    private static boolean deadlineVisibleToGeneratedCode() {
        try {
            return Class.forName(WasmDeadline.class.getName(), false, MachineFactoryCompiler.class.getClassLoader())
                    == WasmDeadline.class;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** A compiler cache that serves {@code cached} and hands what the compiler stores to {@code store}. */
    private record OneModuleCache(byte[] cached, Consumer<byte[]> store) implements Cache {
        @Override
        public byte[] get(String key) {
            return cached;
        }

        @Override
        public void putIfAbsent(String key, byte[] data) {
            store.accept(data);
        }
    }

    /** "compiler" (JVM bytecode) or "interpreter" (the fallback). */
    String engine() {
        return engine;
    }

    /**
     * Whether the module's code checks {@link WasmDeadline}, so that a call can run on the caller's thread; if not,
     * only an interrupt stops it, and it runs on {@link WasmWorkers}.
     */
    boolean deadlineChecks() {
        return deadlineChecks;
    }

    /** The initial pages the module declares. */
    int initialPages() {
        return declaredMemory.initialPages();
    }

    /** The memory an instance gets: the declared initial size, capped at the lower of its declared maximum and ours. */
    MemoryLimits memoryLimits(int maxPages) {
        return new MemoryLimits(declaredMemory.initialPages(), Math.min(declaredMemory.maximumPages(), maxPages));
    }

    /**
     * A fresh instance: memory allocated and its data segments copied in, globals set, the start function (if any)
     * run. {@code _start} (a WASI command's entry) is not called.
     */
    WasmInstance instantiate(MemoryLimits memory) {
        Instance instance = Instance.builder(module)
                .withMachineFactory(machines)
                // Chicory's page-array memory: faster than its ByteBuffer one for the byte loads and stores a
                // payload loop does.
                .withMemoryFactory(ByteArrayMemory::new)
                .withMemoryLimits(memory)
                .withStart(false)
                .build();
        return new WasmInstance(instance, memory.maximumPages());
    }

    private static void requireExport(WasmModule module, String name, ExternalType kind, FunctionType type) {
        ExportSection exports = module.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export export = exports.getExport(i);
            if (!export.name().equals(name)) {
                continue;
            }
            if (export.exportType() != kind) {
                throw new IllegalArgumentException("exports '" + name + "' as a " + lower(export.exportType())
                        + ", not a " + lower(kind));
            }
            if (type != null) {
                // No imports (checked first), so function indices are the module's own.
                int typeIndex = module.functionSection().getFunctionType(export.index());
                FunctionType actual = module.typeSection().getType(typeIndex);
                if (!actual.equals(type)) {
                    throw new IllegalArgumentException("exports '" + name + "' as " + signature(actual)
                            + ", the ABI wants " + signature(type));
                }
            }
            return;
        }
        throw new IllegalArgumentException("does not export '" + name + "' (the ABI needs memory, alloc and process)");
    }

    private static String signature(FunctionType type) {
        return type.params().stream().map(CompiledWasmModule::typeName).toList() + " -> "
                + type.returns().stream().map(CompiledWasmModule::typeName).toList();
    }

    private static String typeName(ValType type) {
        return type.equals(ValType.I32) ? "i32" : type.equals(ValType.I64) ? "i64" : type.equals(ValType.F32) ? "f32"
                : type.equals(ValType.F64) ? "f64" : type.toString();
    }

    private static String lower(ExternalType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }
}
