package dev.sluice.sinks;

/** A sink definition that cannot run; the message names the field that is wrong and why. */
public final class SinkSpecException extends IllegalArgumentException {
    public SinkSpecException(String message) {
        super(message);
    }

    public SinkSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
