package dev.sluice.sinks;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;

/**
 * When a slice and when a file close: whichever of its limits is reached first. Missing limits take the defaults
 * (slice: 10,000 records, 5 MB compressed, 30 s; file: 50,000 records, 50 MB, 60 s).
 *
 * <pre>{@code {"slice": {"records": 1000}, "file": {"ageMs": 5000}}}</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Conditions(Limits slice, Limits file) {
    public static final Limits SLICE_DEFAULTS = new Limits(10_000L, 5L * 1024 * 1024, 30_000L);
    public static final Limits FILE_DEFAULTS = new Limits(50_000L, 50L * 1024 * 1024, 60_000L);

    public static Conditions defaults() {
        return new Conditions(SLICE_DEFAULTS, FILE_DEFAULTS);
    }

    /** These conditions with every missing limit filled from the defaults. */
    public Conditions withDefaults() {
        return new Conditions(Limits.or(slice, SLICE_DEFAULTS), Limits.or(file, FILE_DEFAULTS));
    }

    /** Records, compressed bytes and age in milliseconds; a null is the default. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Limits(Long records, Long bytes, Long ageMs) {
        static Limits or(Limits limits, Limits defaults) {
            if (limits == null) {
                return defaults;
            }
            return new Limits(limits.records != null ? limits.records : defaults.records,
                    limits.bytes != null ? limits.bytes : defaults.bytes,
                    limits.ageMs != null ? limits.ageMs : defaults.ageMs);
        }

        public Duration age() {
            return Duration.ofMillis(ageMs);
        }

        void check(String field) {
            if (records != null && records < 1) {
                throw new SinkSpecException(field + ".records must be at least 1, got " + records);
            }
            if (bytes != null && bytes < 1) {
                throw new SinkSpecException(field + ".bytes must be at least 1, got " + bytes);
            }
            if (ageMs != null && ageMs < 1) {
                throw new SinkSpecException(field + ".ageMs must be at least 1, got " + ageMs);
            }
        }
    }
}
