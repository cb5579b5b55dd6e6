package dev.sluice.services.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.services.ServiceEvent;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** CloudEvents' structured JSON form, which is what a step reads on stdin and writes to fd 3, and CE_ variables. */
public final class EventJson {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> CORE =
      Set.of("specversion", "id", "type", "source", "subject", "time", "datacontenttype", "data");

  private EventJson() {}

  public static ObjectNode toJson(ServiceEvent event) {
    ObjectNode json = JSON.createObjectNode();
    json.put("specversion", "1.0");
    json.put("id", event.id());
    json.put("type", event.type());
    json.put("source", event.source());
    if (event.subject() != null) json.put("subject", event.subject());
    if (event.time() != null) json.put("time", event.time().toString());
    if (event.dataContentType() != null) json.put("datacontenttype", event.dataContentType());
    new java.util.TreeMap<>(event.extensions()).forEach(json::put);
    if (event.data() != null) json.set("data", event.data());
    return json;
  }

  /** The event's attributes as CE_ID, CE_TYPE, …, and each extension as CE_ and its name upper-cased. */
  static Map<String, String> environment(ServiceEvent event) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CE_SPECVERSION", "1.0");
    env.put("CE_ID", event.id());
    env.put("CE_TYPE", event.type());
    env.put("CE_SOURCE", event.source());
    if (event.subject() != null) env.put("CE_SUBJECT", event.subject());
    if (event.time() != null) env.put("CE_TIME", event.time().toString());
    if (event.dataContentType() != null) env.put("CE_DATACONTENTTYPE", event.dataContentType());
    event.extensions().forEach((name, value) -> env.put("CE_" + name.toUpperCase(Locale.ROOT), value));
    return env;
  }

  /**
   * One line a step wrote to fd 3. Only {@code type} is required; the id defaults to a random UUID, the source to
   * {@code defaultSource}, the time to {@code now}, and any other top-level string, number or boolean becomes an
   * extension.
   */
  /** An event in structured JSON as {@link #toJson} writes it (id, source and type required). */
  public static ServiceEvent fromJson(JsonNode node) {
    if (!(node instanceof ObjectNode object)) throw new IllegalArgumentException("an event is a JSON object");
    if (text(object, "id", null) == null || text(object, "source", null) == null) {
      throw new IllegalArgumentException("an event needs \"id\" and \"source\"");
    }
    OffsetDateTime time = null;
    String timeText = text(object, "time", null);
    if (timeText != null) time = OffsetDateTime.parse(timeText);
    ServiceEvent parsed = parseEmitted(object.toString(), null, time);
    return time == null
        ? new ServiceEvent(parsed.id(), parsed.type(), parsed.source(), parsed.subject(), null,
            parsed.dataContentType(), parsed.extensions(), parsed.data())
        : parsed;
  }

  static ServiceEvent parseEmitted(String line, String defaultSource, OffsetDateTime now) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (Exception e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (!(node instanceof ObjectNode object)) throw new IllegalArgumentException("not a JSON object");
    String type = text(object, "type", null);
    if (type == null || type.isBlank()) throw new IllegalArgumentException("has no \"type\"");
    OffsetDateTime time = now;
    String timeText = text(object, "time", null);
    if (timeText != null) {
      try {
        time = OffsetDateTime.parse(timeText);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("\"time\" is not an RFC 3339 timestamp");
      }
    }
    JsonNode data = object.get("data");
    if (data != null && data.isNull()) data = null;
    Map<String, String> extensions = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (CORE.contains(field.getKey())) continue;
      if (!field.getValue().isValueNode() || field.getValue().isNull()) {
        throw new IllegalArgumentException("extension \"" + field.getKey() + "\" is not a string, number or boolean");
      }
      extensions.put(field.getKey(), field.getValue().asText());
    }
    try {
      return new ServiceEvent(
          text(object, "id", UUID.randomUUID().toString()),
          type,
          text(object, "source", defaultSource),
          text(object, "subject", null),
          time,
          text(object, "datacontenttype", data == null ? null : "application/json"),
          extensions,
          data);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static String text(ObjectNode object, String field, String fallback) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) return fallback;
    if (!value.isTextual()) throw new IllegalArgumentException("\"" + field + "\" is not a string");
    return value.asText();
  }
}
