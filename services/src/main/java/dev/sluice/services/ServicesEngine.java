package dev.sluice.services;

import dev.sluice.services.internal.engine.Engine;
import java.time.Instant;

/**
 * Runs services for events: follows the catalog ({@value ServiceTopics#CATALOG}: versions, triggers, secrets), routes
 * the events of the configured topics to triggered services, runs them as subprocesses, fires schedules, and records
 * every run in {@value ServiceTopics#RUNS} with its lifecycle on {@value ServiceTopics#OPS}. Several engines (in
 * several processes) share the event topics' partitions as members of one consumer group.
 *
 * <p>On start it first reports the runs this node left unfinished (killed, or stopped mid-run) as interrupted, kills
 * what their steps left running, and retries them while their retries allow. Nothing here is configured by calls:
 * services and triggers are changed by writing the catalog (the REST API, the CLI), and take effect on every engine
 * at once, without a restart.
 *
 * <pre>{@code
 * try (ServicesEngine engine = ServicesEngine.start(ServicesEngineConfig.of(kafka, dataDir, "node-1", box))) { ... }
 * }</pre>
 */
public final class ServicesEngine implements AutoCloseable {
    private final Engine engine;

    private ServicesEngine(Engine engine) {
        this.engine = engine;
    }

    /** Creates the topics if needed, loads the catalog and the runs, resumes unfinished runs and starts routing. */
    public static ServicesEngine start(ServicesEngineConfig config) {
        return new ServicesEngine(Engine.start(config));
    }

    /** The catalog as this engine sees it. */
    public ServiceCatalog catalog() {
        return engine.catalog();
    }

    /**
     * Fires every schedule due at {@code now}: for engines configured with a manual clock
     * ({@link ServicesEngineConfig#withManualClock}); a real-time engine fires by itself.
     *
     * @return how many schedules fired
     */
    public int tick(Instant now) {
        return engine.tick(now);
    }

    /**
     * Stops routing and scheduling and interrupts running runs (their process trees are killed). Their records stay
     * unfinished, so the next start of this node reports them interrupted and retries them.
     */
    @Override
    public void close() {
        engine.close();
    }
}
