package dev.sluice.services;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A CloudEvent as services see it — the event that triggers a run, or one a step emits. Independent of the CloudEvents
 * SDK: the router converts. Binary data travels as a base64 JSON string.
 *
 * @param subject         null when absent
 * @param time            null when absent
 * @param dataContentType null when absent
 * @param extensions      extension attributes by their (lower-case) CloudEvents name
 * @param data            null when the event has no data
 */
public record ServiceEvent(
    String id,
    String type,
    String source,
    String subject,
    OffsetDateTime time,
    String dataContentType,
    Map<String, String> extensions,
    JsonNode data) {

  private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");

  public ServiceEvent {
    requireText(id, "id");
    requireText(type, "type");
    requireText(source, "source");
    extensions = Map.copyOf(extensions);
    for (String name : extensions.keySet()) {
      if (!EXTENSION_NAME.matcher(name).matches()) {
        throw new ServiceException("extension '" + name + "' is not a CloudEvents attribute name (a-z0-9, 1-20)");
      }
    }
  }

  private static void requireText(String value, String attribute) {
    if (value == null || value.isBlank()) throw new ServiceException(attribute + " is required");
  }
}
