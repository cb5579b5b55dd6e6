package dev.sluice.server.internal;

import java.nio.file.Path;

/**
 * Where a setting's value came from; the higher the {@link Kind}, the higher its precedence.
 *
 * @param kind        which layer of the configuration
 * @param description what to show the user, such as {@code env SLUICE_DATA_DIR} or {@code flag --data-dir}
 */
public record Source(Kind kind, String description) {

    /** The layers of configuration, lowest precedence first. */
    public enum Kind { DEFAULT, FILE, ENV, FLAG }

    public static Source defaults() {
        return new Source(Kind.DEFAULT, "default");
    }

    /** A default computed at start rather than fixed, such as the host name. */
    public static Source derivedDefault(String from) {
        return new Source(Kind.DEFAULT, "default (" + from + ")");
    }

    public static Source file(Path file) {
        return new Source(Kind.FILE, "file " + file);
    }

    public static Source env(String variable) {
        return new Source(Kind.ENV, "env " + variable);
    }

    public static Source flag(String flag) {
        return new Source(Kind.FLAG, "flag " + flag);
    }

    /** Settings handed over in code, e.g. by the testkit; they rank with flags. */
    public static Source code() {
        return new Source(Kind.FLAG, "setting in code");
    }

    @Override
    public String toString() {
        return description;
    }
}
