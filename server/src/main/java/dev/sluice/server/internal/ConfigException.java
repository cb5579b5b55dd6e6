package dev.sluice.server.internal;

/**
 * A setting or request the user made that Sluice cannot start with; the message names the key, where the value came
 * from and what is accepted, so the user can fix it without reading the code.
 *
 * <p>The CLI prints the message and exits with status 2, as for any other usage error.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
