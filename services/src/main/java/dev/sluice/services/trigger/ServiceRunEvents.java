package dev.sluice.services.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.UUID;

/**
 * The events for runs that no outside event caused: scheduled and manual runs are events like any other, so they
 * travel the same topics, match triggers the same way ({@code exact: {type: dev.sluice.service.scheduled,
 * subject: my-service}}) and leave the same trail.
 */
public final class ServiceRunEvents {
    public static final String SCHEDULED_TYPE = "dev.sluice.service.scheduled";
    public static final String MANUAL_TYPE = "dev.sluice.service.manual";
    public static final String SCHEDULER_SOURCE = "/sluice/scheduler";
    public static final String MANUAL_SOURCE = "/sluice/manual";

    private ServiceRunEvents() {
    }

    /**
     * A scheduled run: subject the service, data {@code {"scheduledTime": "..."}}. The id is derived from the
     * service and the time, so a run fired twice (a restart between firing and recording it) is one event id, and
     * consumers that deduplicate by id run it once.
     */
    public static Event scheduled(String service, Instant scheduledTime) {
        JsonNode data = JsonNodeFactory.instance.objectNode().put("scheduledTime", scheduledTime.toString());
        return new Event("scheduled:" + service + ":" + scheduledTime, SCHEDULED_TYPE, SCHEDULER_SOURCE, service,
                scheduledTime, "application/json", null, null, new EventData.Json(data));
    }

    /** A manual run (from the UI, the CLI or the API): subject the service, data the parameters given. */
    public static Event manual(String service, JsonNode parameters, Instant requestedAt) {
        JsonNode data = parameters == null ? JsonNodeFactory.instance.objectNode() : parameters;
        return new Event(UUID.randomUUID().toString(), MANUAL_TYPE, MANUAL_SOURCE, service, requestedAt,
                "application/json", null, null, new EventData.Json(data));
    }
}
