package dev.sluice.services.trigger;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Which events a trigger takes: exactly one of the kinds below (JSON/YAML, one key per filter).
 * <pre>
 * exact:  {type: com.example.order.created}       every attribute listed equals its value
 * prefix: {source: /shop/}                        every attribute listed starts with its value
 * suffix: {type: .created}                        every attribute listed ends with its value
 * all:    [filter, ...]                           every filter matches
 * any:    [filter, ...]                           at least one filter matches
 * not:    filter                                  the filter does not match
 * expr:   "data.amount > 100"                     a CEL expression over {@code attributes} and {@code data}
 * </pre>
 * Attribute names are CloudEvents names ({@code type}, {@code source}, {@code subject}, {@code id}, {@code time},
 * {@code datacontenttype}, {@code dataschema}, {@code specversion}) or extension names; an attribute the event lacks
 * matches no {@code exact}, {@code prefix} or {@code suffix}. {@code TriggerRouter} checks that exactly one kind is
 * set and compiles the filter when a trigger is created.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FilterSpec(Map<String, String> exact, Map<String, String> prefix, Map<String, String> suffix,
                         List<FilterSpec> all, List<FilterSpec> any, FilterSpec not, String expr) {

    public static FilterSpec exact(String attribute, String value) {
        return new FilterSpec(Map.of(attribute, value), null, null, null, null, null, null);
    }

    public static FilterSpec exact(Map<String, String> attributes) {
        return new FilterSpec(attributes, null, null, null, null, null, null);
    }

    public static FilterSpec prefix(String attribute, String value) {
        return new FilterSpec(null, Map.of(attribute, value), null, null, null, null, null);
    }

    public static FilterSpec suffix(String attribute, String value) {
        return new FilterSpec(null, null, Map.of(attribute, value), null, null, null, null);
    }

    public static FilterSpec all(FilterSpec... filters) {
        return new FilterSpec(null, null, null, List.of(filters), null, null, null);
    }

    public static FilterSpec any(FilterSpec... filters) {
        return new FilterSpec(null, null, null, null, List.of(filters), null, null);
    }

    public static FilterSpec not(FilterSpec filter) {
        return new FilterSpec(null, null, null, null, null, filter, null);
    }

    public static FilterSpec expr(String celExpression) {
        return new FilterSpec(null, null, null, null, null, null, celExpression);
    }
}
