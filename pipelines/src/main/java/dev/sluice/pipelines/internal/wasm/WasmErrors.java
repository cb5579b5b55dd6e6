package dev.sluice.pipelines.internal.wasm;

import java.nio.charset.StandardCharsets;

/** Turns what a module or Chicory says into step details: short, one line, UTF-8. */
final class WasmErrors {
    /** The longest detail kept from a module's message. */
    static final int MAX_MESSAGE = 1000;

    private WasmErrors() {
    }

    /** A module's error message (malformed UTF-8 replaced), cut to {@link #MAX_MESSAGE} characters. */
    static String message(byte[] utf8) {
        return oneLine(new String(utf8, StandardCharsets.UTF_8));
    }

    /** "wasm trap: unreachable" from Chicory's "Trapped on unreachable instruction", other traps as they come. */
    static String trap(RuntimeException trap) {
        String message = trap.getMessage() == null ? trap.getClass().getSimpleName() : trap.getMessage();
        if (message.startsWith("Trapped on ") && message.endsWith(" instruction")) {
            message = message.substring("Trapped on ".length(), message.length() - " instruction".length());
        }
        return "wasm trap: " + oneLine(message);
    }

    private static String oneLine(String text) {
        String line = text.replace('\n', ' ').replace('\r', ' ');
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "...";
    }
}
