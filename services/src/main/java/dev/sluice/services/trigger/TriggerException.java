package dev.sluice.services.trigger;

/** A trigger that cannot be created: the message names the field, e.g. {@code filter.all[1].expr: ...}. */
public final class TriggerException extends RuntimeException {
    public TriggerException(String message) {
        super(message);
    }
}
