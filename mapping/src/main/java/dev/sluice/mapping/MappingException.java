package dev.sluice.mapping;

/** A mapping that cannot be compiled, or a column that cannot be computed for one input; the message names it. */
public final class MappingException extends RuntimeException {
    public MappingException(String message) {
        super(message);
    }

    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
