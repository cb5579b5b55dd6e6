package dev.sluice.services.internal.trigger;

import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.TriggerSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable set of triggers, indexed for matching: triggers whose filter requires one event type are found by a
 * map lookup on the event's type; only the others ("scanned") are tried on every event. Immutable, so a router
 * swaps a whole index when a trigger changes and matching needs no lock.
 */
public final class TriggerIndex {
    private static final CompiledTrigger[] NONE = new CompiledTrigger[0];

    private final SortedMap<String, CompiledTrigger> byId;
    private final Map<String, CompiledTrigger[]> byType;
    private final CompiledTrigger[] scanned;

    private TriggerIndex(SortedMap<String, CompiledTrigger> byId) {
        this.byId = byId;
        Map<String, List<CompiledTrigger>> typed = new HashMap<>();
        List<CompiledTrigger> rest = new ArrayList<>();
        for (CompiledTrigger trigger : byId.values()) {
            if (!trigger.spec().active()) {
                continue; // kept (it can be listed and re-activated) but never matched
            }
            if (trigger.requiredType() != null) {
                typed.computeIfAbsent(trigger.requiredType(), type -> new ArrayList<>()).add(trigger);
            } else {
                rest.add(trigger);
            }
        }
        Map<String, CompiledTrigger[]> arrays = new HashMap<>(typed.size() * 2);
        typed.forEach((type, triggers) -> arrays.put(type, triggers.toArray(NONE)));
        this.byType = arrays;
        this.scanned = rest.toArray(NONE);
    }

    public static TriggerIndex empty() {
        return new TriggerIndex(new TreeMap<>());
    }

    public static TriggerIndex of(Collection<CompiledTrigger> triggers) {
        SortedMap<String, CompiledTrigger> byId = new TreeMap<>();
        triggers.forEach(trigger -> byId.put(trigger.spec().id(), trigger));
        return new TriggerIndex(byId);
    }

    /** This index with the trigger added, or replacing the one with its id. */
    public TriggerIndex with(CompiledTrigger trigger) {
        SortedMap<String, CompiledTrigger> copy = new TreeMap<>(byId);
        copy.put(trigger.spec().id(), trigger);
        return new TriggerIndex(copy);
    }

    public TriggerIndex without(String id) {
        if (!byId.containsKey(id)) {
            return this;
        }
        SortedMap<String, CompiledTrigger> copy = new TreeMap<>(byId);
        copy.remove(id);
        return new TriggerIndex(copy);
    }

    public CompiledTrigger get(String id) {
        return byId.get(id);
    }

    public List<TriggerSpec> specs() {
        return byId.values().stream().map(CompiledTrigger::spec).toList();
    }

    /** Active triggers found by type first, then the scanned ones, each group in id order. */
    public List<TriggerSpec> match(Event event) {
        MatchContext context = new MatchContext(event);
        List<TriggerSpec> matched = null;
        CompiledTrigger[] typed = byType.get(event.type());
        if (typed != null) {
            matched = collect(typed, context, null);
        }
        matched = collect(scanned, context, matched);
        return matched == null ? List.of() : matched;
    }

    private static List<TriggerSpec> collect(CompiledTrigger[] triggers, MatchContext context,
                                             List<TriggerSpec> matched) {
        for (CompiledTrigger trigger : triggers) {
            if (trigger.matcher().matches(context)) {
                if (matched == null) {
                    matched = new ArrayList<>(4);
                }
                matched.add(trigger.spec());
            }
        }
        return matched;
    }

    /** How many active triggers are tried on every event, whatever its type (for metrics and tests). */
    public int scannedCount() {
        return scanned.length;
    }
}
