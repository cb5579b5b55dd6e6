package dev.sluice.pipelines.internal.wasm;

import java.lang.ref.WeakReference;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled modules by content (SHA-256 of the bytes): pipelines that use the same module, or a pipeline recompiled
 * with a new version, share one translation to bytecode instead of generating and loading classes again.
 *
 * <p>Entries are weak: a module stays while a compiled step holds it, and once none does the GC may unload its
 * generated classes, so uploading many modules over time does not pin them all.
 */
final class WasmModuleCache {
    static final WasmModuleCache SHARED = new WasmModuleCache();

    private final ConcurrentHashMap<String, WeakReference<CompiledWasmModule>> modules = new ConcurrentHashMap<>();

    /**
     * The compiled module for these bytes, compiling them the first time.
     *
     * @throws IllegalArgumentException when the bytes are not a module that follows the ABI
     */
    CompiledWasmModule compile(byte[] bytes) {
        String key = sha256(bytes);
        WeakReference<CompiledWasmModule> cached = modules.get(key);
        CompiledWasmModule module = cached == null ? null : cached.get();
        if (module != null) {
            return module;
        }
        // Compiled outside the map's lock: it takes tens of milliseconds, and two threads compiling the same new
        // module at once is rare and only wasteful.
        CompiledWasmModule compiled = CompiledWasmModule.compile(bytes);
        modules.values().removeIf(reference -> reference.get() == null);
        WeakReference<CompiledWasmModule> winner = modules.merge(key, new WeakReference<>(compiled),
                (old, fresh) -> old.get() != null ? old : fresh);
        CompiledWasmModule shared = winner.get();
        return shared != null ? shared : compiled;
    }

    /** How many modules are cached (some may be cleared but not yet removed). */
    int size() {
        return modules.size();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
