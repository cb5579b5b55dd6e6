package dev.sluice.services;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.services.internal.exec.EventJson;
import java.io.IOException;

/**
 * A run as {@value ServiceTopics#RUNS} stores it (key: the run id), rewritten at every change: the run, the trigger
 * that caused it and the node executing it, so a node that restarts finds the runs it left unfinished. Events are in
 * CloudEvents' structured JSON form; times in ISO-8601; statuses lower case.
 *
 * @param trigger the trigger's id, or {@code @manual} / {@code @schedule} for the built-in routes
 * @param node    the node that owns the run (executes it, and after a restart reports it interrupted)
 */
public record RunRecord(Run run, String trigger, String node) {
    /** The pseudo-trigger of manual runs ({@code dev.sluice.service.manual} events). */
    public static final String MANUAL = "@manual";
    /** The pseudo-trigger of scheduled runs ({@code dev.sluice.service.scheduled} events). */
    public static final String SCHEDULE = "@schedule";

    /** The mapper for runs, which callers may use to render them (same field names as stored). */
    public static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("service-events")
                    .addSerializer(ServiceEvent.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(ServiceEvent event, JsonGenerator out, SerializerProvider provider)
                                throws IOException {
                            out.writeTree(EventJson.toJson(event));
                        }
                    })
                    .addDeserializer(ServiceEvent.class, new JsonDeserializer<>() {
                        @Override
                        public ServiceEvent deserialize(JsonParser in, DeserializationContext context)
                                throws IOException {
                            return EventJson.fromJson(in.readValueAsTree());
                        }
                    }))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a run always writes", e);
        }
    }

    /** @throws ServiceException when the record is not a run */
    public static RunRecord fromBytes(byte[] value) {
        try {
            return JSON.readValue(value, RunRecord.class);
        } catch (IOException e) {
            throw new ServiceException("unreadable run record: " + e.getMessage(), e);
        }
    }

    /** The run id a trigger's run of an event gets: the same for a redelivered event, so it runs once. */
    public static String runId(String eventSource, String eventId, String trigger) {
        byte[] name = (eventSource + '\0' + eventId + '\0' + trigger).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.UUID.nameUUIDFromBytes(name).toString();
    }

}
