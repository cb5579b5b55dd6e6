package dev.sluice.services.internal.engine;

import dev.sluice.services.Run;
import dev.sluice.services.RunRecord;
import dev.sluice.services.RunStatus;
import dev.sluice.services.ServiceCatalog;
import dev.sluice.services.ServiceCatalog.DeployedVersion;
import dev.sluice.services.ServiceException;
import dev.sluice.services.ServiceRunner;
import dev.sluice.services.ServiceTopics;
import dev.sluice.services.ServicesEngineConfig;
import dev.sluice.services.trigger.CloudEventCodec;
import dev.sluice.services.trigger.CronScheduler;
import dev.sluice.services.trigger.ServiceRunEvents;
import dev.sluice.services.trigger.TriggerRouter;
import dev.sluice.services.trigger.TriggerSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine behind {@link dev.sluice.services.ServicesEngine}; see there. */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final ServicesEngineConfig config;
    private final ServiceCatalog catalog = new ServiceCatalog();
    private final TriggerRouter triggers = new TriggerRouter();
    private final KafkaProducer<byte[], byte[]> producer;
    private final RunLedger ledger;
    private final ServiceMeters meters;
    private final RunReporter reporter;
    private final ServiceRunner runner;
    private final CronScheduler scheduler;
    private final Map<String, String> schedules = new HashMap<>();
    private final CloudEventCodec codec = new CloudEventCodec();
    private TopicTail catalogTail;
    private EventRouter router;
    private ScheduledExecutorService cronThread;

    private Engine(ServicesEngineConfig config) {
        this.config = config;
        Map<String, Object> settings = new HashMap<>(config.kafka());
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-services");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ServiceTopics.MAX_RECORD_BYTES + 64 * 1024);
        this.producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
        this.ledger = new RunLedger(config.kafka(), producer, config.nodeName());
        this.meters = new ServiceMeters(config.meters());
        this.reporter = new RunReporter(ledger, producer, config.nodeName(), config.eventTopics().getFirst(),
                config.clock(), meters);
        this.runner = new ServiceRunner(config.runsDir(), reporter, config.clock(), config.logLimitBytes());
        this.scheduler = new CronScheduler(config.clock(), this::fireSchedule);
    }

    public static Engine start(ServicesEngineConfig config) {
        Engine engine = new Engine(config);
        try {
            engine.begin();
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private void begin() {
        ensureTopics();
        catalogTail = new TopicTail(config.kafka(), ServiceTopics.CATALOG, "catalog", record -> {
            if (record.key() != null) {
                catalog.apply(new String(record.key(), StandardCharsets.UTF_8), record.value())
                        .ifPresent(change -> {
                            if (change == ServiceCatalog.Change.TRIGGER) {
                                relink();
                            } else if (change == ServiceCatalog.Change.VERSION) {
                                reschedule();
                            }
                        });
            }
        });
        catalogTail.start();
        relink();
        reschedule();
        ledger.load();
        resumeUnfinished();
        router = new EventRouter(config.kafka(), producer, config.eventTopics(), catalog, catalogTail, triggers,
                ledger, this::startRun, config.clock(), config.nodeName(), meters);
        router.start();
        if (config.realTimeCron()) {
            cronThread = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("sluice-services-cron").factory());
            scheduler.start(cronThread);
        }
        LOG.info("services engine on {}: {} services, {} triggers, routing {}", config.nodeName(),
                catalog.services().size(), catalog.triggers().size(), config.eventTopics());
    }

    private void ensureTopics() {
        try (Admin admin = Admin.create(config.kafka())) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(ServiceTopics.CATALOG, 1, (short) 1).configs(ServiceTopics.CATALOG_CONFIGS));
            topics.add(new NewTopic(ServiceTopics.RUNS, 1, (short) 1).configs(ServiceTopics.RUNS_CONFIGS));
            topics.add(new NewTopic(ServiceTopics.OPS, 1, (short) 1));
            for (String topic : config.eventTopics()) {
                topics.add(new NewTopic(topic, Optional.empty(), Optional.empty()));
                topics.add(new NewTopic(topic + ServiceTopics.DEAD_LETTER_SUFFIX, 1, (short) 1));
            }
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(),
                                e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the services' topics", e);
        }
    }

    /** Puts the catalog's triggers in the router; one that does not compile is left out (and logged), not all. */
    private synchronized void relink() {
        List<TriggerSpec> valid = new ArrayList<>();
        for (TriggerSpec trigger : catalog.triggers()) {
            try {
                TriggerRouter.validate(trigger);
                valid.add(trigger);
            } catch (RuntimeException e) {
                LOG.error("trigger '{}' is left out: {}", trigger.id(), e.getMessage());
            }
        }
        triggers.replaceAll(valid);
    }

    /** The latest version's schedule of every active service. */
    private synchronized void reschedule() {
        Map<String, String> wanted = new HashMap<>();
        for (String service : catalog.services()) {
            catalog.latest(service).map(version -> version.pkg().manifest())
                    .filter(manifest -> manifest.active() && manifest.schedule() != null)
                    .ifPresent(manifest -> wanted.put(service, manifest.schedule()));
        }
        for (String service : List.copyOf(schedules.keySet())) {
            if (!wanted.containsKey(service)) {
                scheduler.unschedule(service);
                schedules.remove(service);
            }
        }
        wanted.forEach((service, cron) -> {
            if (!cron.equals(schedules.get(service))) {
                try {
                    scheduler.schedule(service, cron);
                    schedules.put(service, cron);
                } catch (RuntimeException e) {
                    LOG.error("service '{}' is not scheduled: {}", service, e.getMessage());
                }
            }
        });
    }

    /** A due schedule becomes an event, routed like any other (its id is derived from service and time). */
    private void fireSchedule(String service, Instant scheduledTime) {
        try {
            producer.send(codec.toBinaryRecord(config.eventTopics().getFirst(),
                    service.getBytes(StandardCharsets.UTF_8), ServiceRunEvents.scheduled(service, scheduledTime)))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish the scheduled run: " + e.getCause(), e.getCause());
        }
    }

    public int tick(Instant now) {
        return scheduler.tick(now);
    }

    /** Hands a run (recorded as queued) to the runner. */
    private void startRun(Run queued, String trigger, long publishedAtMillis) {
        Optional<DeployedVersion> version = catalog.version(queued.service(), queued.version());
        if (version.isEmpty()) {
            reporter.expect(queued.id(), trigger, 0);
            reporter.onRunChanged(queued.finished(RunStatus.FAILED, config.clock().instant(), List.of(),
                    "version " + queued.version() + " of service '" + queued.service() + "' is not deployed"));
            return;
        }
        reporter.expect(queued.id(), trigger, publishedAtMillis);
        runner.run(queued, version.get().pkg(), secrets(queued.service()));
    }

    private Map<String, String> secrets(String service) {
        return catalog.secrets(service).map(sealed -> {
            try {
                return config.secrets().open(service, sealed);
            } catch (ServiceException e) {
                LOG.error("{}", e.getMessage());
                return Map.<String, String>of();
            }
        }).orElse(Map.of());
    }

    /**
     * The runs this node left unfinished: each running one gets an interrupted attempt and a lifecycle event, then
     * runs again while its retries allow, or ends interrupted.
     */
    private void resumeUnfinished() {
        int reaped = ServiceRunner.reapLeftovers(config.runsDir());
        List<RunRecord> unfinished = ledger.unfinishedRuns();
        if (!unfinished.isEmpty() || reaped > 0) {
            LOG.warn("{} runs were unfinished when this node stopped; killed {} leftover step processes",
                    unfinished.size(), reaped);
        }
        for (RunRecord record : unfinished) {
            Run run = record.run();
            Instant now = config.clock().instant();
            if (run.status() == RunStatus.RUNNING) {
                run = run.withAttempt(RunReporter.interruptedAttempt(run, now));
            }
            Optional<DeployedVersion> version = catalog.version(run.service(), run.version());
            int maxRetries = version.map(v -> v.pkg().manifest().retries().maxRetries()).orElse(0);
            boolean retry = version.isPresent() && run.attempts().size() <= maxRetries;
            if (run.status() == RunStatus.RUNNING) {
                reporter.publishLifecycle(run, record.trigger(), "interrupted", Map.of("willRetry",
                        Boolean.toString(retry)));
            }
            if (retry) {
                Run queued = run.withStatus(RunStatus.QUEUED);
                await(ledger.write(new RunRecord(queued, record.trigger(), config.nodeName())));
                startRun(queued, record.trigger(), 0);
            } else {
                reporter.expect(run.id(), record.trigger(), 0);
                reporter.onRunChanged(run.finished(RunStatus.INTERRUPTED, now, List.of(), version.isEmpty()
                        ? "interrupted, and version " + run.version() + " is no longer deployed"
                        : "interrupted by a stop of node " + config.nodeName() + ", with no retries left"));
            }
        }
    }

    private static void await(java.util.concurrent.Future<?> write) {
        try {
            write.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not record a run: " + e.getCause(), e.getCause());
        }
    }

    public ServiceCatalog catalog() {
        return catalog;
    }

    @Override
    public void close() {
        if (router != null) {
            router.close();
        }
        scheduler.close();
        if (cronThread != null) {
            cronThread.shutdownNow();
        }
        reporter.closing();
        runner.close();
        if (catalogTail != null) {
            catalogTail.close();
        }
        ledger.close();
        producer.close(Duration.ofSeconds(5));
    }
}
