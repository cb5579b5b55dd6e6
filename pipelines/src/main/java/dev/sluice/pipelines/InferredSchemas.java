package dev.sluice.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipelines.internal.schema.SchemaInference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON schemas that {@code inferSchema} steps inferred, per audience, versioned: a payload whose shape the
 * current schema does not cover widens it and bumps its version. Thread-safe.
 *
 * <p>The common case, a payload of a shape already seen, is a map read and a walk of the payload against the
 * schema, building nothing. Only a payload that may widen the schema merges, inside the map's atomic
 * {@code compute} for its audience, so concurrent observers never lose a widening or bump a version twice for one
 * change. Schemas held here are never changed in place; callers get copies.
 */
public final class InferredSchemas {
    /** A schema and its version (1 for the first). */
    public record Versioned(int version, JsonNode schema) {
    }

    private final ConcurrentHashMap<String, Versioned> schemas = new ConcurrentHashMap<>();
    private final java.util.List<java.util.function.BiConsumer<String, Versioned>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Calls {@code listener} with the audience and its new schema after every version bump, on the thread that
     * observed the payload (so it should only hand work off): how the broker publishes what it inferred.
     */
    public void onChange(java.util.function.BiConsumer<String, Versioned> listener) {
        listeners.add(listener);
    }

    /**
     * Starts an audience from a schema inferred before (read back from where it was published), so versions go on
     * from there; ignored when this audience already has a newer one.
     */
    public void seed(String audience, Versioned versioned) {
        schemas.merge(audience, copy(versioned), (mine, seeded) -> mine.version() >= seeded.version() ? mine : seeded);
    }

    /** Infers the schema of {@code payload} and merges it into the audience's; true when that changed it. */
    public boolean observe(String audience, JsonNode payload) {
        return observeVersion(audience, payload) > 0;
    }

    /**
     * Like {@link #observe}, answering the new version when the payload changed the audience's schema, else 0.
     */
    public int observeVersion(String audience, JsonNode payload) {
        Versioned current = schemas.get(audience);
        if (current != null && SchemaInference.covers(current.schema(), payload)) {
            return 0;
        }
        int[] changedTo = {0};
        schemas.compute(audience, (key, old) -> {
            if (old == null) {
                changedTo[0] = 1;
                return new Versioned(1, SchemaInference.infer(payload));
            }
            ObjectNode merged = SchemaInference.merge((ObjectNode) old.schema(), SchemaInference.infer(payload));
            if (merged.equals(old.schema())) {
                return old;
            }
            changedTo[0] = old.version() + 1;
            return new Versioned(old.version() + 1, merged);
        });
        if (changedTo[0] > 0 && !listeners.isEmpty()) {
            Versioned now = schemas.get(audience);
            if (now != null) {
                for (var listener : listeners) {
                    listener.accept(audience, copy(now));
                }
            }
        }
        return changedTo[0];
    }

    public Optional<Versioned> current(String audience) {
        Versioned current = schemas.get(audience);
        return current == null ? Optional.empty() : Optional.of(copy(current));
    }

    /** Every audience's schema, by audience name. */
    public Map<String, Versioned> all() {
        Map<String, Versioned> all = new LinkedHashMap<>();
        new TreeMap<>(schemas).forEach((audience, versioned) -> all.put(audience, copy(versioned)));
        return all;
    }

    private static Versioned copy(Versioned versioned) {
        return new Versioned(versioned.version(), versioned.schema().deepCopy());
    }
}
