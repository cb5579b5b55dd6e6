package dev.sluice.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Records as the REST API writes them: a value is JSON when it parses as JSON, else a string when it is UTF-8, else
 * base64, and says which in {@code encoding}; and records as the API takes them, in the same three encodings.
 */
final class RecordJson {
    private static final Set<String> FIELDS = Set.of("key", "value", "encoding", "headers", "partition");

    private RecordJson() {
    }

    /** A record of the produce body as a producer record for {@code topic}; errors name the record's index. */
    static ProducerRecord<byte[], byte[]> toProducerRecord(String topic, JsonNode record, int index) {
        if (!record.isObject()) {
            throw ApiError.badRequest("records[" + index + "] must be an object");
        }
        for (Iterator<String> names = record.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiError.badRequest("records[" + index + "]: unknown field '" + name
                        + "' (accepted: key, value, encoding, headers, partition)");
            }
        }
        String encoding = record.path("encoding").asText("json");
        JsonNode key = record.get("key");
        JsonNode value = record.get("value");
        byte[] keyBytes = key == null || key.isNull() ? null : text(key, "key", index, encoding);
        byte[] valueBytes = switch (encoding) {
            case "json" -> value == null || value.isNull() ? null : Json.bytes(value);
            case "string", "base64" -> value == null || value.isNull() ? null : text(value, "value", index, encoding);
            default -> throw ApiError.badRequest("records[" + index + "].encoding must be json, string or base64, got '"
                    + encoding + "'");
        };
        Integer partition = null;
        JsonNode partitionNode = record.get("partition");
        if (partitionNode != null && !partitionNode.isNull()) {
            if (!partitionNode.canConvertToInt() || !partitionNode.isIntegralNumber() || partitionNode.asInt() < 0) {
                throw ApiError.badRequest("records[" + index + "].partition must be a partition number");
            }
            partition = partitionNode.asInt();
        }
        RecordHeaders headers = new RecordHeaders();
        JsonNode headerNode = record.get("headers");
        if (headerNode != null && !headerNode.isNull()) {
            if (!headerNode.isObject()) {
                throw ApiError.badRequest("records[" + index + "].headers must be an object of strings");
            }
            for (Map.Entry<String, JsonNode> header : headerNode.properties()) {
                if (!header.getValue().isTextual()) {
                    throw ApiError.badRequest("records[" + index + "].headers." + header.getKey()
                            + " must be a string");
                }
                headers.add(header.getKey(), header.getValue().asText().getBytes(StandardCharsets.UTF_8));
            }
        }
        return new ProducerRecord<>(topic, partition, null, keyBytes, valueBytes, headers);
    }

    private static byte[] text(JsonNode node, String field, int index, String encoding) {
        if (!node.isTextual()) {
            throw ApiError.badRequest("records[" + index + "]." + field + " must be a string"
                    + (field.equals("value") ? " with encoding " + encoding : ""));
        }
        if (encoding.equals("base64")) {
            try {
                return Base64.getDecoder().decode(node.asText());
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("records[" + index + "]." + field + " is not base64: " + e.getMessage());
            }
        }
        return node.asText().getBytes(StandardCharsets.UTF_8);
    }

    /** A consumed record as the API shows it. */
    static ObjectNode toJson(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode node = Json.object().put("topic", record.topic()).put("partition", record.partition())
                .put("offset", record.offset()).put("timestamp", record.timestamp());
        byte[] key = record.key();
        if (key == null) {
            node.putNull("key");
        } else {
            String text = utf8(key);
            if (text != null) {
                node.put("key", text);
            } else {
                node.put("key", Base64.getEncoder().encodeToString(key)).put("keyEncoding", "base64");
            }
        }
        byte[] value = record.value();
        if (value == null) {
            node.putNull("value").put("encoding", "json");
        } else {
            JsonNode json = json(value);
            if (json != null) {
                node.set("value", json);
                node.put("encoding", "json");
            } else {
                String text = utf8(value);
                if (text != null) {
                    node.put("value", text).put("encoding", "string");
                } else {
                    node.put("value", Base64.getEncoder().encodeToString(value)).put("encoding", "base64");
                }
            }
        }
        ObjectNode headers = node.putObject("headers");
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8));
        }
        return node;
    }

    private static JsonNode json(byte[] value) {
        if (value.length == 0) {
            return null;
        }
        byte first = value[0];
        // Only containers, strings and literals that start like JSON are tried: a bare number such as "42" in a
        // text payload is better shown as the text it was sent as.
        if (first != '{' && first != '[' && first != '"' && first != ' ' && first != '\n' && first != '\t') {
            return null;
        }
        try {
            return Json.MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
