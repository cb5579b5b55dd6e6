package dev.sluice.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Validates the payload against a JSON Schema; the draft comes from the schema's {@code $schema} (drafts 4, 6, 7,
 * 2019-09 and 2020-12), 2020-12 when it has none. True when the payload is valid.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SchemaValidationSpec(JsonNode schema) {
}
