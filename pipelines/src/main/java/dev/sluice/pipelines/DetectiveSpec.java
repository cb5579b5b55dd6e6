package dev.sluice.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A check on the payload. {@code type} names the check (see the module README for the list: {@code has_field},
 * {@code numeric_greater_than}, {@code pii_email}, {@code pii_any}, {@code pii_keyword}, ...); {@code path} is a JSON
 * Pointer ({@code /user/email}) or a dotted path ({@code user.email}); PII checks without a path search the whole
 * payload. {@code args} are the check's operands as strings; {@code negate} inverts a path check's answer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DetectiveSpec(String type, String path, List<String> args, Boolean negate) {
    public DetectiveSpec(String type, String path) {
        this(type, path, null, null);
    }
}
