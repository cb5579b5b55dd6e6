package dev.sluice.pipelines;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The test modules, compiled from their WebAssembly text ({@code src/test/resources/wasm/*.wat}) by wabt's
 * {@code wat2wasm} (Debian package {@code wabt}) at test time, so that no binary is committed. Each module is
 * compiled once per JVM, into a temporary directory.
 */
public final class Wat {
    private static final Map<String, byte[]> MODULES = new ConcurrentHashMap<>();
    private static Path directory;

    private Wat() {
    }

    /** The binary of {@code wasm/<name>.wat}. */
    public static byte[] module(String name) {
        return MODULES.computeIfAbsent(name, Wat::compile).clone();
    }

    /** The test modules as a {@link WasmModules}: ids are the file names without {@code .wat}. */
    public static WasmModules modules(String... names) {
        Map<String, byte[]> byId = new ConcurrentHashMap<>();
        for (String name : names) {
            byId.put(name, module(name));
        }
        return byId::get;
    }

    private static byte[] compile(String name) {
        try {
            Path dir = directory();
            Path source = dir.resolve(name + ".wat");
            try (InputStream in = Wat.class.getResourceAsStream("/wasm/" + name + ".wat")) {
                if (in == null) {
                    throw new IllegalArgumentException("no test module wasm/" + name + ".wat");
                }
                Files.write(source, in.readAllBytes());
            }
            Path binary = dir.resolve(name + ".wasm");
            Process process;
            try {
                process = new ProcessBuilder("wat2wasm", source.toString(), "-o", binary.toString())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("wat2wasm is not installed: the wasm tests compile their modules with "
                        + "it (Debian/Ubuntu: apt-get install wabt; macOS: brew install wabt)", e);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("wat2wasm failed on " + name + ".wat: " + output);
            }
            return Files.readAllBytes(binary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static synchronized Path directory() throws IOException {
        if (directory == null) {
            directory = Files.createTempDirectory("sluice-wat-");
            directory.toFile().deleteOnExit();
        }
        return directory;
    }
}
