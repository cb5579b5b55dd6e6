package dev.sluice.sinks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.mapping.ColumnSpec;
import dev.sluice.mapping.Mapping;
import dev.sluice.mapping.MappingException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A sink as users define it: the topics it reads, the mapping from a record to the columns of its table, the target
 * table, when slices and files close, and how slices are compressed.
 *
 * <pre>{@code
 * {"name": "orders", "topics": ["orders"],
 *  "mapping": [{"name": "id", "path": "/id", "type": "long"}, {"name": "at", "value": "timestamp", "type": "timestamp"}],
 *  "target": {"type": "duckdb", "table": "orders"}}
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SinkSpec(String name, List<String> topics, List<ColumnSpec> mapping, TargetSpec target,
                       Conditions conditions, String compression, Boolean paused) {
    public static final String GZIP = "gzip";
    public static final String ZSTD = "zstd";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    public SinkSpec(String name, List<String> topics, List<ColumnSpec> mapping, TargetSpec target) {
        this(name, topics, mapping, target, null, null, null);
    }

    public SinkSpec withConditions(Conditions conditions) {
        return new SinkSpec(name, topics, mapping, target, conditions, compression, paused);
    }

    public SinkSpec withCompression(String compression) {
        return new SinkSpec(name, topics, mapping, target, conditions, compression, paused);
    }

    public SinkSpec withPaused(boolean paused) {
        return new SinkSpec(name, topics, mapping, target, conditions, compression, paused);
    }

    /** This sink as it may be shown: its target's secrets masked (see {@link TargetSpec#redacted()}). */
    public SinkSpec redacted() {
        return new SinkSpec(name, topics, mapping, target == null ? null : target.redacted(), conditions, compression,
                paused);
    }

    /** The conditions with defaults filled in. */
    @JsonIgnore
    public Conditions effectiveConditions() {
        return (conditions == null ? Conditions.defaults() : conditions).withDefaults();
    }

    @JsonIgnore
    public String effectiveCompression() {
        return compression == null ? ZSTD : compression;
    }

    /**
     * Whether the sink is paused ({@code paused} true). Not named {@code isPaused}: Jackson (2.20) would take it for
     * the property's getter, and its {@code @JsonIgnore} would drop {@code paused} from the JSON altogether.
     */
    @JsonIgnore
    public boolean pausedNow() {
        return Boolean.TRUE.equals(paused);
    }

    /**
     * Checks the whole definition and compiles its mapping.
     *
     * @throws SinkSpecException naming the field that is wrong
     */
    public Mapping check() {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SinkSpecException("name '" + name + "' must be 1-100 of a-z, 0-9, '.', '_', '-', starting with "
                    + "a letter or digit");
        }
        if (topics == null || topics.isEmpty()) {
            throw new SinkSpecException("topics must list at least one topic");
        }
        for (String topic : topics) {
            if (topic == null || topic.isBlank()) {
                throw new SinkSpecException("topics: a topic name is empty");
            }
        }
        if (target == null) {
            throw new SinkSpecException("target is missing");
        }
        target.check();
        if (compression != null && !compression.equals(GZIP) && !compression.equals(ZSTD)) {
            throw new SinkSpecException("compression '" + compression + "' is not one of gzip, zstd");
        }
        if (conditions != null) {
            if (conditions.slice() != null) {
                conditions.slice().check("conditions.slice");
            }
            if (conditions.file() != null) {
                conditions.file().check("conditions.file");
            }
        }
        try {
            return Mapping.compile(mapping);
        } catch (MappingException e) {
            throw new SinkSpecException("mapping: " + e.getMessage(), e);
        }
    }
}
