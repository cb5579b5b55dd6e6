package dev.sluice.services.trigger;

import dev.sluice.services.internal.trigger.CompiledTrigger;
import dev.sluice.services.internal.trigger.FilterCompiler;
import dev.sluice.services.internal.trigger.TriggerIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The triggers in force, and which of them an event fires.
 * <pre>
 * TriggerRouter router = new TriggerRouter();
 * router.put(TriggerSpec.of("orders.new", "fraud-check", "latest", FilterSpec.exact("type", "shop.order.created")));
 * for (TriggerSpec trigger : router.match(event)) { ...run trigger.service() at trigger.version()... }
 * </pre>
 * Triggers are compiled when put (a bad one is refused with a {@link TriggerException} naming the bad part), and
 * can be added, replaced and removed while events are matched: each change swaps in a new immutable index, so a
 * match sees either the set before a change or the set after it, never half of one, and the first match that starts
 * after {@link #put} returns uses the new trigger.
 * <p>
 * Matching costs a map lookup by event type plus one try of every trigger whose filter does not require a single
 * type; write filters as {@code exact: {type: ...}} (or an {@code all} holding one) where you can.
 * <p>
 * Thread-safe: {@link #match} takes no lock; changes are serialized among themselves.
 */
public final class TriggerRouter {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    private final AtomicReference<TriggerIndex> index = new AtomicReference<>(TriggerIndex.empty());
    private final Object changes = new Object();

    /** Adds the trigger, or replaces the one with its id (re-linking it to another service, version or filter). */
    public void put(TriggerSpec trigger) {
        CompiledTrigger compiled = compile(trigger);
        synchronized (changes) {
            index.set(index.get().with(compiled));
        }
    }

    /** Replaces every trigger at once; if any is refused, none changes. */
    public void replaceAll(Collection<TriggerSpec> triggers) {
        List<CompiledTrigger> compiled = new ArrayList<>(triggers.size());
        Set<String> ids = new HashSet<>();
        for (TriggerSpec trigger : triggers) {
            CompiledTrigger one = compile(trigger);
            if (!ids.add(trigger.id())) {
                throw new TriggerException("trigger '" + trigger.id() + "': listed twice");
            }
            compiled.add(one);
        }
        synchronized (changes) {
            index.set(TriggerIndex.of(compiled));
        }
    }

    /** @return whether there was such a trigger */
    public boolean remove(String id) {
        synchronized (changes) {
            TriggerIndex before = index.get();
            TriggerIndex after = before.without(id);
            index.set(after);
            return after != before;
        }
    }

    public Optional<TriggerSpec> get(String id) {
        return Optional.ofNullable(index.get().get(id)).map(CompiledTrigger::spec);
    }

    /** Every trigger, active or not, in id order. */
    public List<TriggerSpec> triggers() {
        return index.get().specs();
    }

    /**
     * The active triggers whose filter the event passes: those found by the event's type first, then the others,
     * each group in id order. Empty when none does.
     */
    public List<TriggerSpec> match(Event event) {
        return index.get().match(event);
    }

    /** Checks a trigger as {@link #put} would, without adding it. */
    public static void validate(TriggerSpec trigger) {
        compile(trigger);
    }

    private static CompiledTrigger compile(TriggerSpec trigger) {
        if (trigger == null) {
            throw new TriggerException("a trigger is required");
        }
        if (trigger.id() == null || !NAME.matcher(trigger.id()).matches()) {
            throw new TriggerException("id: '" + trigger.id()
                    + "' is not a trigger id (a-z, 0-9, '.', '_', '-'; starting with a letter or digit; at most 128)");
        }
        String at = "trigger '" + trigger.id() + "': ";
        if (trigger.service() == null || !NAME.matcher(trigger.service()).matches()) {
            throw new TriggerException(at + "service: '" + trigger.service()
                    + "' is not a service name (a-z, 0-9, '.', '_', '-'; starting with a letter or digit)");
        }
        if (trigger.version() == null || !VERSION.matcher(trigger.version()).matches()) {
            throw new TriggerException(at + "version: '" + trigger.version()
                    + "' is neither 'latest' nor a version id (letters, digits, '.', '_', '+', '-')");
        }
        try {
            return CompiledTrigger.of(trigger, FilterCompiler.compile(trigger.filter(), "filter"));
        } catch (TriggerException e) {
            throw new TriggerException(at + e.getMessage());
        }
    }
}
