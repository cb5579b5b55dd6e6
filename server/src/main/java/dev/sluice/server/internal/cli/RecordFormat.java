package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How {@code sluice consume} prints a record (the REST API's {@code Record}): its value as received, so output
 * can be piped back into {@code sluice produce} or into {@code jq}. A JSON value is printed as compact JSON (a JSON
 * string keeps its quotes), a string value raw, a base64 value as its base64 text. A missing key or a tombstone's
 * missing value prints as {@code null}, as {@code kafka-console-consumer} prints them.
 *
 * @param printKey  whether each line starts with the key and the separator
 * @param separator between key and value
 */
record RecordFormat(boolean printKey, String separator) {

    String format(JsonNode record) {
        String value = text(record.path("value"), record.path("encoding").asText(""));
        if (!printKey) {
            return value;
        }
        JsonNode key = record.path("key");
        return (key.isTextual() ? key.asText() : "null") + separator + value;
    }

    private static String text(JsonNode value, String encoding) {
        if (value.isMissingNode() || value.isNull()) {
            return "null";
        }
        if ("json".equals(encoding) || !value.isTextual()) {
            return value.toString();
        }
        return value.asText();
    }
}
