package dev.sluice.services.internal.engine;

import dev.sluice.services.Run;
import dev.sluice.services.RunRecord;
import dev.sluice.services.ServiceCatalog;
import dev.sluice.services.ServiceCatalog.DeployedVersion;
import dev.sluice.services.ServiceEvent;
import dev.sluice.services.ServiceTopics;
import dev.sluice.services.trigger.CloudEventCodec;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.MalformedEventException;
import dev.sluice.services.trigger.ServiceRunEvents;
import dev.sluice.services.trigger.TriggerRouter;
import dev.sluice.services.trigger.TriggerSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the event topics as a member of the group {@value #GROUP} (so routers in several processes share the
 * partitions), matches each event against the triggers and the built-in routes (manual and scheduled runs) and queues
 * a run per match.
 *
 * <p>At least once, run once: a batch's offsets are committed only after every run it queued is recorded (and every
 * malformed record is in the dead-letter topic); a run's id is derived from the event's source and id and the
 * trigger, so an event delivered again finds its runs recorded and queues nothing.
 */
final class EventRouter implements AutoCloseable {
    static final String GROUP = "sluice-services";
    private static final Logger LOG = LoggerFactory.getLogger(EventRouter.class);

    /** Starts a run (already recorded as queued) for a trigger; called on the router's thread. */
    @FunctionalInterface
    interface Starter {
        void start(Run queued, String trigger, long publishedAtMillis);
    }

    /** A run to start. */
    private record Queued(Run run, String trigger, long publishedAtMillis) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<String> topics;
    private final ServiceCatalog catalog;
    private final TriggerRouter triggers;
    private final RunLedger ledger;
    private final Starter start;
    private final ServiceMeters meters;
    private final Clock clock;
    private final String node;
    private final CloudEventCodec codec = new CloudEventCodec();
    private final TopicTail catalogTail;
    private final Thread thread;
    private volatile boolean running = true;

    EventRouter(Map<String, Object> kafka, KafkaProducer<byte[], byte[]> producer, List<String> topics,
                ServiceCatalog catalog, TopicTail catalogTail, TriggerRouter triggers, RunLedger ledger,
                Starter start, Clock clock, String node, ServiceMeters meters) {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-services-router");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Events published before the first router started still run.
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = producer;
        this.topics = topics;
        this.catalog = catalog;
        this.catalogTail = catalogTail;
        this.triggers = triggers;
        this.ledger = ledger;
        this.start = start;
        this.meters = meters;
        this.clock = clock;
        this.node = node;
        this.thread = Thread.ofPlatform().name("sluice-services-router").unstarted(this::loop);
    }

    void start() {
        consumer.subscribe(topics);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                route(consumer.poll(Duration.ofMillis(500)));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("the services router stopped; no events run services until the node restarts", e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void route(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        List<Future<?>> durable = new ArrayList<>();
        List<Queued> queued = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Event event;
            try {
                event = codec.read(record);
            } catch (MalformedEventException | IllegalArgumentException e) {
                durable.add(deadLetter(record, e.getMessage()));
                meters.deadLettered();
                continue;
            }
            List<Route> routes = routes(event);
            int claimed = 0;
            for (Route route : routes) {
                String runId = RunRecord.runId(event.source(), event.id(), route.trigger());
                if (!ledger.claim(runId)) {
                    continue;
                }
                claimed++;
                ServiceEvent input = EventViews.forService(event);
                String correlation = event.extensions().getOrDefault("correlationid", event.id());
                Run run = Run.queued(runId, route.version().service(), route.version().version(), correlation, input,
                        clock.instant());
                durable.add(ledger.write(new RunRecord(run, route.trigger(), node)));
                queued.add(new Queued(run, route.trigger(), record.timestamp()));
            }
            if (routes.isEmpty()) {
                meters.unmatched();
            } else if (claimed == 0) {
                meters.duplicate();
            } else {
                meters.routed();
            }
        }
        for (Queued run : queued) {
            start.start(run.run(), run.trigger(), run.publishedAtMillis());
        }
        for (Future<?> write : durable) {
            try {
                write.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            } catch (java.util.concurrent.ExecutionException e) {
                // Not committing: the batch comes again after a restart and what was not recorded is queued then.
                throw new IllegalStateException("could not record queued runs: " + e.getCause(), e.getCause());
            }
        }
        if (!durable.isEmpty() || !queued.isEmpty()) {
            consumer.commitSync();
        } else {
            consumer.commitAsync();
        }
    }

    private record Route(String trigger, DeployedVersion version) {
    }

    private List<Route> routes(Event event) {
        List<Route> routes = new ArrayList<>(2);
        String service = event.subject();
        if (service != null && ServiceRunEvents.MANUAL_TYPE.equals(event.type())
                && ServiceRunEvents.MANUAL_SOURCE.equals(event.source())) {
            String pinned = event.extensions().get("serviceversion");
            if (catalog.version(service, pinned).isEmpty()) {
                // Deployed a moment ago (the API checked it exists): wait for the catalog to get there.
                catchUpWithCatalog();
            }
            catalog.version(service, pinned)
                    .filter(version -> version.pkg().manifest().allowManual())
                    .ifPresentOrElse(version -> routes.add(new Route(RunRecord.MANUAL, version)),
                            () -> LOG.warn("manual run of '{}' ignored: no such service version, or manual runs "
                                    + "are off for it", service));
        }
        if (service != null && ServiceRunEvents.SCHEDULED_TYPE.equals(event.type())
                && ServiceRunEvents.SCHEDULER_SOURCE.equals(event.source())) {
            catalog.latest(service).filter(version -> version.pkg().manifest().schedule() != null)
                    .ifPresent(version -> routes.add(new Route(RunRecord.SCHEDULE, version)));
        }
        for (TriggerSpec trigger : triggers.match(event)) {
            catalog.version(trigger.service(), trigger.version())
                    .ifPresentOrElse(version -> routes.add(new Route(trigger.id(), version)),
                            () -> LOG.warn("trigger '{}' matched event {} but {}@{} is not deployed", trigger.id(),
                                    event.id(), trigger.service(), trigger.version()));
        }
        routes.removeIf(route -> !route.version().pkg().manifest().active());
        return routes;
    }

    /** How long the router waits for the catalog to catch up when an event names what it has not seen yet. */
    private static final Duration CATALOG_CATCH_UP = Duration.ofSeconds(10);

    private void catchUpWithCatalog() {
        TopicPartition catalogPartition = new TopicPartition(ServiceTopics.CATALOG, 0);
        long end = consumer.endOffsets(List.of(catalogPartition)).get(catalogPartition);
        try {
            if (!catalogTail.awaitPosition(end, CATALOG_CATCH_UP)) {
                LOG.warn("the services catalog did not reach offset {} within {}", end, CATALOG_CATCH_UP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    /** The record as it came, to {@code <topic>.dead-letter}, with why in the {@value ServiceTopics#ERROR_HEADER}. */
    private Future<RecordMetadata> deadLetter(ConsumerRecord<byte[], byte[]> record, String why) {
        LOG.debug("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), why);
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(record.topic() + ServiceTopics.DEAD_LETTER_SUFFIX,
                null, record.timestamp(), record.key(), record.value(), record.headers());
        dead.headers().add(ServiceTopics.ERROR_HEADER, why.getBytes(StandardCharsets.UTF_8));
        dead.headers().add("sluice-source", (record.topic() + "-" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        return producer.send(dead);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
