package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/stats}: the node's traffic counters as JSON, for the console's charts. Cumulative values (records and
 * bytes per topic, Kafka request counts and total time) with the time they were read, so a client that samples twice
 * gets rates; plus consumer lag and open connections now. Read from the node's meter registry: a node without a
 * broker has no topic counters here.
 */
final class StatsRoute {
    /** The broker's meter names (see the README's metrics table). */
    private static final String[][] TOPIC_COUNTERS = {
        {"sluice.topic.records.in", "recordsIn"}, {"sluice.topic.records.out", "recordsOut"},
        {"sluice.topic.bytes.in", "bytesIn"}, {"sluice.topic.bytes.out", "bytesOut"}};
    private static final String REQUEST_LATENCY = "sluice.kafka.request.latency";
    private static final String GROUP_LAG = "sluice.group.lag";
    private static final String CONNECTIONS = "sluice.kafka.connections";

    private final MeterRegistry registry;

    StatsRoute(MeterRegistry registry) {
        this.registry = registry;
    }

    void register(Router router) {
        router.get("/v1/stats").handler(ctx -> Replies.json(ctx, 200, stats()));
    }

    ObjectNode stats() {
        ObjectNode body = Json.object();
        body.put("time", System.currentTimeMillis());
        Map<String, ObjectNode> topics = new TreeMap<>();
        for (String[] counter : TOPIC_COUNTERS) {
            for (Counter meter : registry.find(counter[0]).counters()) {
                String topic = meter.getId().getTag("topic");
                if (topic != null) {
                    topics.computeIfAbsent(topic, name -> Json.object().put("topic", name))
                            .put(counter[1], (long) meter.count());
                }
            }
        }
        ArrayNode topicList = body.putArray("topics");
        topics.values().forEach(topicList::add);
        ObjectNode requests = body.putObject("requests");
        for (Timer timer : registry.find(REQUEST_LATENCY).timers()) {
            String api = timer.getId().getTag("api");
            if (api != null) {
                requests.putObject(api).put("count", timer.count())
                        .put("totalMs", timer.totalTime(TimeUnit.MILLISECONDS))
                        .put("maxMs", timer.max(TimeUnit.MILLISECONDS));
            }
        }
        ArrayNode lag = body.putArray("lag");
        for (Gauge gauge : registry.find(GROUP_LAG).gauges()) {
            double value = gauge.value();
            if (!Double.isNaN(value)) {
                lag.addObject().put("group", gauge.getId().getTag("group"))
                        .put("topic", gauge.getId().getTag("topic"))
                        .put("partition", Integer.parseInt(gauge.getId().getTag("partition")))
                        .put("lag", (long) value);
            }
        }
        Gauge connections = registry.find(CONNECTIONS).gauge();
        body.put("connections", connections == null ? 0 : (long) connections.value());
        return body;
    }
}
