package dev.sluice.services.internal.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.EventData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event being matched. The CEL variables are built on first use and then shared by every expression the event
 * meets, so an event that only meets string filters never converts its data. Not thread-safe: one per event.
 */
public final class MatchContext {
    private final Event event;
    private Map<String, Object> celVariables;

    public MatchContext(Event event) {
        this.event = event;
    }

    public Event event() {
        return event;
    }

    Map<String, Object> celVariables() {
        if (celVariables == null) {
            Map<String, Object> variables = new HashMap<>(4);
            variables.put(CelFilters.ATTRIBUTES, event.attributes());
            variables.put(CelFilters.DATA, toCel(event.data()));
            celVariables = variables;
        }
        return celVariables;
    }

    /** Data as CEL's runtime takes it: JSON as maps, lists and scalars; other data as bytes; no data as null. */
    static Object toCel(EventData data) {
        return switch (data) {
            case EventData.Json json -> toCel(json.node());
            case EventData.Bytes bytes -> ByteString.copyFrom(bytes.bytes());
            case EventData.None none -> NullValue.NULL_VALUE;
        };
    }

    static Object toCel(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(entry -> map.put(entry.getKey(), toCel(entry.getValue())));
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(element -> list.add(toCel(element)));
                yield list;
            }
            // CEL compares int and double across types, so a JSON 3 and 3.0 both work with `data.x == 3`.
            case NUMBER -> node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.asLong()
                    : (Object) node.asDouble();
            case STRING -> node.asText();
            case BOOLEAN -> node.asBoolean();
            default -> NullValue.NULL_VALUE;
        };
    }
}
