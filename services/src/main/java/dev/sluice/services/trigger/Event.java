package dev.sluice.services.trigger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A CloudEvent (spec 1.0) as triggers see it: the context attributes, the extensions and the data.
 * <p>
 * Extensions are kept as strings, the form they take in Kafka headers ({@code ce_<name>}) and the one filters compare;
 * {@link CloudEventCodec} converts the SDK's typed values ({@code true}, {@code 42}, URIs, times) to their canonical
 * text. Optional attributes are {@code null} when absent.
 *
 * @param id              {@code id}, required
 * @param type            {@code type}, required, e.g. {@code com.example.order.created}
 * @param source          {@code source}, required, a URI reference kept as text
 * @param subject         {@code subject}, optional
 * @param time            {@code time}, optional
 * @param dataContentType {@code datacontenttype}, optional
 * @param dataSchema      {@code dataschema}, optional, a URI kept as text
 * @param extensions      extension attributes by name (lower case a-z0-9, per the spec)
 * @param data            the data
 */
public record Event(String id, String type, String source, String subject, Instant time, String dataContentType,
                    String dataSchema, Map<String, String> extensions, EventData data) {
    public Event {
        requireText(id, "id");
        requireText(type, "type");
        requireText(source, "source");
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
        data = data == null ? EventData.none() : data;
    }

    /** An event with the required attributes and JSON or no data; add the rest with the {@code with*} methods. */
    public static Event of(String id, String type, String source, EventData data) {
        return new Event(id, type, source, null, null, null, null, Map.of(), data);
    }

    public Event withSubject(String subject) {
        return new Event(id, type, source, subject, time, dataContentType, dataSchema, extensions, data);
    }

    public Event withTime(Instant time) {
        return new Event(id, type, source, subject, time, dataContentType, dataSchema, extensions, data);
    }

    public Event withDataContentType(String dataContentType) {
        return new Event(id, type, source, subject, time, dataContentType, dataSchema, extensions, data);
    }

    public Event withExtension(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Event(id, type, source, subject, time, dataContentType, dataSchema, more, data);
    }

    /**
     * One context attribute or extension by its CloudEvents name, as text ({@code time} in RFC 3339), or
     * {@code null} when the event does not have it. {@code specversion} is always {@code 1.0}.
     */
    public String attribute(String name) {
        return switch (name) {
            case "id" -> id;
            case "type" -> type;
            case "source" -> source;
            case "subject" -> subject;
            case "time" -> time == null ? null : time.toString();
            case "datacontenttype" -> dataContentType;
            case "dataschema" -> dataSchema;
            case "specversion" -> "1.0";
            default -> extensions.get(name);
        };
    }

    /** Every attribute the event has, extensions included, as filters' CEL {@code attributes} map sees them. */
    public Map<String, String> attributes() {
        Map<String, String> all = new LinkedHashMap<>(extensions.size() + 8);
        all.putAll(extensions);
        all.put("specversion", "1.0");
        all.put("id", id);
        all.put("type", type);
        all.put("source", source);
        putIfPresent(all, "subject", subject);
        putIfPresent(all, "time", time == null ? null : time.toString());
        putIfPresent(all, "datacontenttype", dataContentType);
        putIfPresent(all, "dataschema", dataSchema);
        return all;
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static void requireText(String value, String attribute) {
        Objects.requireNonNull(value, () -> "a CloudEvent needs '" + attribute + "'");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a CloudEvent's '" + attribute + "' must not be empty");
        }
    }
}
