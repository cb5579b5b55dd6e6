package dev.sluice.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A change to the payload. {@code type}: {@code replace_value} (with {@code value}, any JSON), {@code delete_field},
 * {@code mask}, {@code obfuscate} (SHA-256), {@code truncate} ({@code length} characters or {@code percent} of the
 * value), {@code extract} ({@code paths}, optionally {@code flatten}ed into one object). It acts on {@code path}, or,
 * without a path, on what the last detective step matched.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransformSpec(String type, String path, JsonNode value, Integer length, Integer percent,
                            List<String> paths, Boolean flatten) {
    public TransformSpec(String type, String path) {
        this(type, path, null, null, null, null, null);
    }
}
