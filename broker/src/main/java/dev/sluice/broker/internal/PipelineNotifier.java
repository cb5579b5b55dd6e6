package dev.sluice.broker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipelines.Notification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what pipeline conditions asked to be notified of: a structured CloudEvent (JSON, type
 * {@value #TYPE}) on the ops topic {@value #OPS_TOPIC}, and the same JSON POSTed to the condition's webhook. Both are
 * best effort and never hold up the record that caused them: failures are logged.
 */
final class PipelineNotifier {
    static final String OPS_TOPIC = "sluice.ops";
    static final String TYPE = "dev.sluice.pipeline.notification";

    private static final Logger LOG = LoggerFactory.getLogger(PipelineNotifier.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Header[] HEADERS = {
            new RecordHeader("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8))};

    private final SideTopics topics;

    PipelineNotifier(SideTopics topics) {
        this.topics = topics;
    }

    void publish(Notification notification, String service, String topic, int partition) {
        byte[] event = event(notification, service, topic, partition);
        topics.append(OPS_TOPIC, null, event, HEADERS, System.currentTimeMillis()).whenComplete((offset, failure) -> {
            if (failure != null) {
                LOG.warn("could not publish a pipeline notification to {}: {}", OPS_TOPIC, failure.toString());
            }
        });
        if (notification.webhook() != null) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(notification.webhook()))
                    .timeout(Duration.ofSeconds(10))
                    .header("content-type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(event))
                    .build();
            HttpClient http = Webhooks.HTTP;
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (failure != null) {
                    LOG.warn("pipeline webhook {} failed: {}", notification.webhook(), failure.toString());
                } else if (response.statusCode() >= 300) {
                    LOG.warn("pipeline webhook {} answered {}", notification.webhook(), response.statusCode());
                }
            });
        }
    }

    /**
     * The webhook client, created on the first webhook: building one sets up TLS (about 0.06 s and 200 classes), which
     * a broker start should not pay when no pipeline has a webhook.
     */
    private static final class Webhooks {
        static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    static byte[] event(Notification notification, String service, String topic, int partition) {
        ObjectNode event = MAPPER.createObjectNode()
                .put("specversion", "1.0")
                .put("id", UUID.randomUUID().toString())
                .put("source", "/sluice/pipelines/" + notification.pipeline())
                .put("type", TYPE)
                .put("time", Instant.now().toString())
                .put("datacontenttype", "application/json");
        ObjectNode data = event.putObject("data")
                .put("pipeline", notification.pipeline())
                .put("version", notification.version())
                .put("step", notification.step())
                .put("outcome", notification.outcome().name().toLowerCase(Locale.ROOT))
                .put("topic", topic)
                .put("partition", partition)
                .put("service", service);
        if (notification.detail() != null) {
            data.put("detail", notification.detail());
        }
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
