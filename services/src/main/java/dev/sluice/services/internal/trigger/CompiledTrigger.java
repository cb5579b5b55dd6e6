package dev.sluice.services.internal.trigger;

import dev.sluice.services.trigger.TriggerSpec;

/**
 * A trigger with its compiled filter.
 *
 * @param requiredType the event type every match has, or {@code null}: the router's index key
 */
public record CompiledTrigger(TriggerSpec spec, Matcher matcher, String requiredType) {
    public static CompiledTrigger of(TriggerSpec spec, Matcher matcher) {
        return new CompiledTrigger(spec, matcher, FilterCompiler.requiredType(matcher));
    }
}
