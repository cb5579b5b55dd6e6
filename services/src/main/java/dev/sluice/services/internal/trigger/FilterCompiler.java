package dev.sluice.services.internal.trigger;

import dev.sluice.services.trigger.FilterSpec;
import dev.sluice.services.trigger.TriggerException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Turns a {@link FilterSpec} into a {@link Matcher}, refusing bad filters with the path of the bad part
 * ({@code filter.all[1].expr: undeclared reference to 'foo'}).
 * <p>
 * {@code exact}, {@code prefix} and {@code suffix} with several attributes become an {@code all} of one comparison
 * each; nested {@code all}s are flattened; the conjuncts of an {@code all} (and the disjuncts of an {@code any}) are
 * ordered cheapest first, so CEL only runs on events the string comparisons let through.
 */
public final class FilterCompiler {
    /** CloudEvents attribute and extension names: lower-case ASCII letters and digits. */
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9]{1,64}");

    private FilterCompiler() {
    }

    public static Matcher compile(FilterSpec filter, String path) {
        if (filter == null) {
            throw new TriggerException(path + ": a filter is required (e.g. exact: {type: com.example.created})");
        }
        List<String> kinds = kinds(filter);
        if (kinds.size() != 1) {
            throw new TriggerException(path + ": a filter has exactly one of exact, prefix, suffix, all, any, not, "
                    + "expr; " + (kinds.isEmpty() ? "found none" : "found " + String.join(" and ", kinds)));
        }
        return switch (kinds.getFirst()) {
            case "exact" -> comparisons(filter.exact(), path + ".exact", Matcher.AttributeEquals::new);
            case "prefix" -> comparisons(filter.prefix(), path + ".prefix", Matcher.AttributePrefix::new);
            case "suffix" -> comparisons(filter.suffix(), path + ".suffix", Matcher.AttributeSuffix::new);
            case "all" -> new Matcher.AllOf(flattenAll(cheapestFirst(each(filter.all(), path + ".all"))));
            case "any" -> new Matcher.AnyOf(cheapestFirst(each(filter.any(), path + ".any")));
            case "not" -> new Matcher.Not(compile(filter.not(), path + ".not"));
            case "expr" -> expression(filter.expr(), path + ".expr");
            default -> throw new IllegalStateException(kinds.getFirst());
        };
    }

    /**
     * The event type a matcher requires, when it is an {@code exact} on {@code type} or an {@code all} holding one:
     * such triggers are looked up by type instead of being tried on every event.
     */
    public static String requiredType(Matcher matcher) {
        return switch (matcher) {
            case Matcher.AttributeEquals equals when equals.attribute().equals("type") -> equals.value();
            case Matcher.AllOf all -> all.matchers().stream()
                    .map(FilterCompiler::requiredType)
                    .filter(type -> type != null)
                    .findFirst()
                    .orElse(null);
            default -> null;
        };
    }

    private static List<String> kinds(FilterSpec filter) {
        List<String> kinds = new ArrayList<>(1);
        if (filter.exact() != null) {
            kinds.add("exact");
        }
        if (filter.prefix() != null) {
            kinds.add("prefix");
        }
        if (filter.suffix() != null) {
            kinds.add("suffix");
        }
        if (filter.all() != null) {
            kinds.add("all");
        }
        if (filter.any() != null) {
            kinds.add("any");
        }
        if (filter.not() != null) {
            kinds.add("not");
        }
        if (filter.expr() != null) {
            kinds.add("expr");
        }
        return kinds;
    }

    private static Matcher comparisons(Map<String, String> attributes, String path,
                                       BiFunction<String, String, Matcher> comparison) {
        if (attributes.isEmpty()) {
            throw new TriggerException(path + ": names no attribute (e.g. {type: com.example.created})");
        }
        List<Matcher> matchers = new ArrayList<>(attributes.size());
        // Sorted so that the same filter always compiles to the same matcher, whatever the map's order.
        for (Map.Entry<String, String> entry : new TreeMap<>(attributes).entrySet()) {
            String name = entry.getKey();
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                throw new TriggerException(path + ": '" + name
                        + "' is not a CloudEvents attribute name (lower-case letters and digits)");
            }
            if (entry.getValue() == null) {
                throw new TriggerException(path + "." + name + ": needs a value");
            }
            matchers.add(comparison.apply(name, entry.getValue()));
        }
        return matchers.size() == 1 ? matchers.getFirst() : new Matcher.AllOf(matchers);
    }

    private static List<Matcher> each(List<FilterSpec> filters, String path) {
        if (filters.isEmpty()) {
            throw new TriggerException(path + ": lists no filter");
        }
        List<Matcher> matchers = new ArrayList<>(filters.size());
        for (int i = 0; i < filters.size(); i++) {
            matchers.add(compile(filters.get(i), path + "[" + i + "]"));
        }
        return matchers;
    }

    private static List<Matcher> flattenAll(List<Matcher> matchers) {
        List<Matcher> flat = new ArrayList<>(matchers.size());
        for (Matcher matcher : matchers) {
            if (matcher instanceof Matcher.AllOf inner) {
                flat.addAll(inner.matchers());
            } else {
                flat.add(matcher);
            }
        }
        return cheapestFirst(flat);
    }

    private static List<Matcher> cheapestFirst(List<Matcher> matchers) {
        List<Matcher> sorted = new ArrayList<>(matchers);
        sorted.sort(Comparator.comparingInt(Matcher::cost)); // stable: equal costs keep the author's order
        return List.copyOf(sorted);
    }

    private static Matcher expression(String expression, String path) {
        try {
            return CelFilters.compile(expression);
        } catch (IllegalArgumentException e) {
            throw new TriggerException(path + ": " + e.getMessage());
        }
    }
}
