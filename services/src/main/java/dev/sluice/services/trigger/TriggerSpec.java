package dev.sluice.services.trigger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A trigger: events that pass {@link #filter} run {@link #service} at {@link #version}. Read from JSON or YAML:
 * <pre>
 * id: orders.large
 * service: fraud-check
 * version: latest          # or a service version id
 * filter:
 *   all:
 *     - exact: {type: com.example.order.created}
 *     - expr: "data.amount > 1000"
 * active: true             # the default; an inactive trigger is kept but matches nothing
 * </pre>
 * A trigger names its service and version rather than holding it, so a trigger can be re-pointed ("late linking")
 * and a service redeployed without touching the other. Values are checked and the filter compiled when the trigger
 * is put in a {@link TriggerRouter}.
 */
public record TriggerSpec(String id, String service, String version, FilterSpec filter, boolean active) {
    /** The version that follows the newest deployed version of the service. */
    public static final String LATEST = "latest";

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Jackson's way in: {@code active} defaults to true, and a missing version to {@link #LATEST}. */
    @JsonCreator
    static TriggerSpec create(@JsonProperty("id") String id, @JsonProperty("service") String service,
                              @JsonProperty("version") String version, @JsonProperty("filter") FilterSpec filter,
                              @JsonProperty("active") Boolean active) {
        return new TriggerSpec(id, service, version == null ? LATEST : version, filter, active == null || active);
    }

    public static TriggerSpec of(String id, String service, String version, FilterSpec filter) {
        return new TriggerSpec(id, service, version, filter, true);
    }

    /** This trigger pointing at another service version (re-linking). */
    public TriggerSpec withVersion(String newVersion) {
        return new TriggerSpec(id, service, newVersion, filter, active);
    }

    public TriggerSpec withFilter(FilterSpec newFilter) {
        return new TriggerSpec(id, service, version, newFilter, active);
    }

    public TriggerSpec withActive(boolean newActive) {
        return new TriggerSpec(id, service, version, filter, newActive);
    }

    /** Reads a trigger from YAML or JSON (JSON is YAML). */
    public static TriggerSpec parse(String yamlOrJson) {
        try {
            return YAML.readValue(yamlOrJson, TriggerSpec.class);
        } catch (JsonProcessingException e) {
            throw new TriggerException("trigger does not parse: " + e.getOriginalMessage());
        }
    }

    /** This trigger as YAML. */
    public String toYaml() {
        try {
            return YAML.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a trigger always writes", e);
        }
    }
}
