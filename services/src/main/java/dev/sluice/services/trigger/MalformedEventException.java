package dev.sluice.services.trigger;

/**
 * A Kafka record that is not a valid CloudEvent. The message says what is wrong precisely enough to be the
 * dead-letter reason ({@code "binary mode: missing required attribute 'source' (header ce_source)"}).
 */
public final class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
