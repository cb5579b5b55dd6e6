package dev.sluice.services.internal.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.services.Run;
import dev.sluice.services.RunAttempt;
import dev.sluice.services.RunListener;
import dev.sluice.services.RunRecord;
import dev.sluice.services.RunStatus;
import dev.sluice.services.ServiceEvent;
import dev.sluice.services.ServiceTopics;
import dev.sluice.services.trigger.CloudEventCodec;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.EventData;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine does with every change of a run: records it in {@value ServiceTopics#RUNS}, publishes the run's
 * lifecycle on {@value ServiceTopics#OPS} ({@code dev.sluice.run.started}, {@code .succeeded}, {@code .failed},
 * {@code .timed_out}, {@code .interrupted}) and, when it succeeded, the events its steps emitted.
 *
 * <p>Emitted events are published before the run is recorded as succeeded, so a crash in between leaves the run
 * unfinished (and retried) rather than succeeded with its events lost. Each event carries the {@code correlationid}
 * of the chain that led to it and the {@code causationid} (the id of the event that started the run); lifecycle events
 * carry the same and the {@code runid}.
 *
 * <p>Thread-safe: runs report on their own threads.
 */
final class RunReporter implements RunListener {
    static final String LIFECYCLE_TYPE_PREFIX = "dev.sluice.run.";
    private static final Logger LOG = LoggerFactory.getLogger(RunReporter.class);

    private final RunLedger ledger;
    private final KafkaProducer<byte[], byte[]> producer;
    private final CloudEventCodec codec = new CloudEventCodec();
    private final String node;
    private final String eventsTopic;
    private final Clock clock;
    /** The trigger of each run in progress on this node. */
    private final Map<String, String> triggers = new ConcurrentHashMap<>();
    /** When each run's event was published (its Kafka timestamp), until the run starts. */
    private final Map<String, Long> published = new ConcurrentHashMap<>();
    private final ServiceMeters meters;
    private volatile boolean closing;

    RunReporter(RunLedger ledger, KafkaProducer<byte[], byte[]> producer, String node, String eventsTopic,
                Clock clock, ServiceMeters meters) {
        this.meters = meters;
        this.ledger = ledger;
        this.producer = producer;
        this.node = node;
        this.eventsTopic = eventsTopic;
        this.clock = clock;
    }

    /**
     * Before a run is handed to the runner: which trigger it belongs to, and when its event was published (epoch
     * millis; 0 when unknown, as for resumed runs).
     */
    void expect(String runId, String trigger, long publishedAtMillis) {
        triggers.put(runId, trigger);
        if (publishedAtMillis > 0) {
            published.put(runId, publishedAtMillis);
        }
    }

    /**
     * From now on, runs ending {@code interrupted} because the engine closes are not recorded: their stored state
     * stays unfinished, and the next start of this node reports them interrupted and retries them.
     */
    void closing() {
        closing = true;
    }

    @Override
    public void onRunChanged(Run run) {
        // Queued runs are recorded by whoever queued them (the router, or recovery), before the runner sees them.
        if (run.status() == RunStatus.QUEUED) {
            return;
        }
        if (closing && run.status() == RunStatus.INTERRUPTED) {
            triggers.remove(run.id());
            published.remove(run.id());
            return;
        }
        String trigger = triggers.getOrDefault(run.id(), "?");
        if (run.status() == RunStatus.RUNNING) {
            if (run.attempts().isEmpty() || run.attempts().getLast().status() == RunStatus.INTERRUPTED) {
                Long publishedAt = published.remove(run.id());
                if (publishedAt != null) {
                    meters.started(publishedAt, clock.millis());
                }
                ledger.write(new RunRecord(run, trigger, node));
                publishLifecycle(run, trigger, "started", Map.of());
            } else {
                // An attempt ended and another follows.
                ledger.write(new RunRecord(run, trigger, node));
            }
            return;
        }
        Run last = run;
        if (run.status() == RunStatus.SUCCEEDED && !run.emitted().isEmpty()) {
            try {
                last = run.finished(RunStatus.SUCCEEDED, run.finished(), publishEmitted(run), null);
            } catch (RuntimeException e) {
                last = run.finished(RunStatus.FAILED, run.finished(), List.of(),
                        "the run succeeded but its events could not be published: " + e.getMessage());
            }
        }
        try {
            ledger.write(new RunRecord(last, trigger, node)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.error("could not record the end of run {} of {}", run.id(), run.service(), e.getCause());
        }
        triggers.remove(run.id());
        published.remove(run.id());
        meters.finished(last);
        publishLifecycle(last, trigger, last.status().wireName(), Map.of());
    }

    /** The events as published (with correlation and causation), after the broker acknowledged all of them. */
    private List<ServiceEvent> publishEmitted(Run run) {
        List<ServiceEvent> published = new ArrayList<>(run.emitted().size());
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (ServiceEvent emitted : run.emitted()) {
            Map<String, String> extensions = new LinkedHashMap<>(emitted.extensions());
            extensions.putIfAbsent("correlationid", run.correlationId());
            extensions.put("causationid", run.input().id());
            ServiceEvent event = new ServiceEvent(emitted.id(), emitted.type(), emitted.source(), emitted.subject(),
                    emitted.time(), emitted.dataContentType(), extensions, emitted.data());
            published.add(event);
            byte[] key = event.subject() == null ? null : event.subject().getBytes(StandardCharsets.UTF_8);
            acks.add(producer.send(codec.toBinaryRecord(eventsTopic, key, EventViews.forKafka(event))));
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().toString(), e.getCause());
        }
        return published;
    }

    /** A lifecycle event on {@value ServiceTopics#OPS}; its id is derived from the run and its state. */
    void publishLifecycle(Run run, String trigger, String what, Map<String, String> more) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("runId", run.id());
        data.put("service", run.service());
        data.put("version", run.version());
        data.put("trigger", trigger);
        data.put("status", run.status().wireName());
        data.put("attempts", run.attempts().size());
        data.put("node", node);
        data.put("inputEventId", run.input().id());
        data.put("queued", run.queued().toString());
        if (run.started() != null) {
            data.put("started", run.started().toString());
        }
        if (run.finished() != null) {
            data.put("finished", run.finished().toString());
        }
        if (run.error() != null) {
            data.put("error", run.error());
        }
        if (!run.emitted().isEmpty()) {
            ArrayNode ids = data.putArray("emittedEventIds");
            run.emitted().forEach(event -> ids.add(event.id()));
        }
        more.forEach(data::put);
        Instant now = clock.instant();
        Event event = new Event(run.id() + ":" + what + ":" + run.attempts().size(), LIFECYCLE_TYPE_PREFIX + what,
                "/sluice/services/" + node, run.service(), now, "application/json", null,
                Map.of("runid", run.id(), "correlationid", run.correlationId(), "causationid", run.input().id()),
                new EventData.Json(data));
        producer.send(codec.toBinaryRecord(ServiceTopics.OPS, run.service().getBytes(StandardCharsets.UTF_8), event),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warn("could not publish {} of run {}: {}", what, run.id(), error.toString());
                    }
                });
    }

    /** An attempt the node's stop cut short, as recovery records it. */
    static RunAttempt interruptedAttempt(Run run, Instant now) {
        Instant started = run.attempts().isEmpty() ? run.started() : run.attempts().getLast().finished();
        return new RunAttempt(run.attempts().size() + 1, RunStatus.INTERRUPTED, started == null ? now : started, now,
                List.of(), List.of(), "the node stopped during this attempt");
    }

}
