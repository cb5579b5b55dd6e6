package dev.sluice.pipelines;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;

/**
 * Who pipelines apply to: a service (a Kafka client's {@code client.id} or an SDK's service name; {@code *} for every
 * client), a topic and a direction ({@code produce}: before records are written; {@code consume}: before they are
 * delivered), with the ordered pipelines attached to it. A paused audience runs none of them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AudienceSpec(String service, String topic, String direction, List<String> pipelines, Boolean paused) {
    public static final String ANY_SERVICE = "*";
    public static final String PRODUCE = "produce";
    public static final String CONSUME = "consume";
    /**
     * The {@code client.id} prefix of Sluice's SDK clients, which run their audiences' pipelines in-process: the
     * broker leaves their records alone. Service names cannot contain '/', so no audience can match it.
     */
    public static final String SDK_CLIENT_ID_PREFIX = "sluice-sdk/";

    /** {@code service/topic/direction}: the audience's identity. */
    @JsonIgnore
    public String key() {
        return key(service, topic, direction);
    }

    public static String key(String service, String topic, String direction) {
        return service + "/" + topic + "/" + direction;
    }

    public AudienceSpec withPipelines(List<String> ids) {
        return new AudienceSpec(service, topic, direction, ids, paused);
    }

    public AudienceSpec withPaused(boolean paused) {
        return new AudienceSpec(service, topic, direction, pipelines, paused);
    }

    @JsonIgnore
    public boolean pausedNow() {
        return Boolean.TRUE.equals(paused);
    }

    /**
     * Checks the audience and returns it with the direction in lower case and no null list.
     *
     * @throws PipelineException naming the field that is wrong
     */
    public AudienceSpec checked() {
        if (service == null || service.isBlank() || service.contains("/")) {
            throw new PipelineException("service '" + service + "' must be a client id or service name without '/',"
                    + " or * for every client");
        }
        if (topic == null || topic.isBlank() || topic.contains("/")) {
            throw new PipelineException("topic '" + topic + "' must be a topic name");
        }
        if (topic.startsWith("_sluice") || topic.startsWith("__")) {
            throw new PipelineException("topic '" + topic + "' is internal: pipelines cannot be attached to it");
        }
        String dir = direction == null ? null : direction.toLowerCase(Locale.ROOT);
        if (!PRODUCE.equals(dir) && !CONSUME.equals(dir)) {
            throw new PipelineException("direction '" + direction + "' must be produce or consume");
        }
        List<String> ids = pipelines == null ? List.of() : List.copyOf(pipelines);
        if (ids.stream().distinct().count() != ids.size()) {
            throw new PipelineException("pipelines lists a pipeline twice");
        }
        return new AudienceSpec(service, topic, dir, ids, paused);
    }
}
