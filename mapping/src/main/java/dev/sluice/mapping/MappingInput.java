package dev.sluice.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What a mapping reads: the parsed body (null when it is not JSON), headers with lower-case names, the time in
 * milliseconds, and for records of a topic their key, partition and offset (null for HTTP requests).
 */
public record MappingInput(JsonNode body, Map<String, String> headers, long timestamp, String clientIp, String key,
                           Integer partition, Long offset) {

    /** An HTTP request's input. */
    public static MappingInput request(JsonNode body, Map<String, String> headers, long receivedAt, String clientIp) {
        return new MappingInput(body, headers, receivedAt, clientIp, null, null, null);
    }
}
