package dev.sluice.http.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import dev.sluice.mapping.ColumnSpec;
import dev.sluice.mapping.Mapping;
import dev.sluice.mapping.MappingException;

/**
 * An HTTP source: a named endpoint with a secret that writes what is posted to it into a topic.
 *
 * @param name        the name in the ingestion path
 * @param topic       where its records go
 * @param secret      the second path segment; compared in constant time
 * @param enabled     a disabled source answers like an unknown one
 * @param headers     request headers copied into each record's headers (as {@code http.<name>})
 * @param corsOrigins origins browsers may post from ({@code *} for any); empty for none
 * @param mapping     columns that turn each request into a JSON object; null to store bodies as they come
 * @param createdAt   when it was created, ISO-8601
 */
record Source(String name, String topic, String secret, boolean enabled, List<String> headers,
              List<String> corsOrigins, List<ColumnSpec> mapping, String createdAt) {
    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,100}");
    private static final SecureRandom RANDOM = new SecureRandom();

    Source {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(secret, "secret");
        headers = headers == null ? List.of() : List.copyOf(headers);
        corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        mapping = mapping == null || mapping.isEmpty() ? null : List.copyOf(mapping);
        createdAt = createdAt == null ? Instant.now().toString() : createdAt;
    }

    /** 256 random bits, URL-safe. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String path() {
        return "/ingest/" + name + "/" + secret;
    }

    Source withSecret(String next) {
        return new Source(name, topic, next, enabled, headers, corsOrigins, mapping, createdAt);
    }

    Source withEnabled(boolean next) {
        return new Source(name, topic, secret, next, headers, corsOrigins, mapping, createdAt);
    }

    /** Checks the mapping; a 400 naming the column that is wrong. */
    static void validateMapping(List<ColumnSpec> mapping) {
        if (mapping != null && !mapping.isEmpty()) {
            try {
                Mapping.compile(mapping);
            } catch (MappingException e) {
                throw ApiError.badRequest("mapping: " + e.getMessage());
            }
        }
    }

    boolean allowsOrigin(String origin) {
        return origin != null && (corsOrigins.contains("*") || corsOrigins.contains(origin));
    }
}
