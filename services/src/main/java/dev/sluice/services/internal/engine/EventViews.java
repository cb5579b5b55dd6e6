package dev.sluice.services.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.services.ServiceEvent;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.EventData;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts between the router's view of a CloudEvent ({@link Event}, typed data for filters) and the executor's
 * ({@link ServiceEvent}, JSON as a step reads it; other data as a base64 string).
 */
final class EventViews {
    private EventViews() {
    }

    static ServiceEvent forService(Event event) {
        JsonNode data = switch (event.data()) {
            case EventData.Json json -> json.node();
            case EventData.Bytes bytes -> TextNode.valueOf(Base64.getEncoder().encodeToString(bytes.bytes()));
            case EventData.None none -> null;
        };
        Map<String, String> extensions = new LinkedHashMap<>(event.extensions());
        if (event.dataSchema() != null) {
            extensions.put("dataschema", event.dataSchema());
        }
        return new ServiceEvent(event.id(), event.type(), event.source(), event.subject(),
                event.time() == null ? null : OffsetDateTime.ofInstant(event.time(), ZoneOffset.UTC),
                event.dataContentType(), extensions, data);
    }

    static Event forKafka(ServiceEvent event) {
        Map<String, String> extensions = new LinkedHashMap<>(event.extensions());
        String dataSchema = extensions.remove("dataschema");
        return new Event(event.id(), event.type(), event.source(), event.subject(),
                event.time() == null ? null : event.time().toInstant(), event.dataContentType(), dataSchema,
                extensions, event.data() == null ? EventData.none() : new EventData.Json(event.data()));
    }
}
