package dev.sluice.services;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link ServicesEngine} needs.
 *
 * @param kafka          Kafka client settings for the broker holding the topics ({@code bootstrap.servers}, SASL)
 * @param dataDir        the node's data directory; runs' working directories go under {@code services/runs}
 * @param nodeName       this node: it owns the runs it starts, and after a restart reports those it left unfinished
 * @param eventTopics    topics whose events are matched against triggers
 * @param secrets        opens services' sealed secrets
 * @param clock          for the scheduler, run times and event times
 * @param realTimeCron   whether the scheduler fires by itself; false leaves firing to {@link ServicesEngine#tick}
 * @param logLimitBytes  per step and stream; beyond it only the tail of a step's output is kept
 * @param meters         where the engine's meters go (the node's registry)
 */
public record ServicesEngineConfig(Map<String, Object> kafka, Path dataDir, String nodeName, List<String> eventTopics,
                                   SecretBox secrets, Clock clock, boolean realTimeCron, int logLimitBytes,
                                   MeterRegistry meters) {
    /** Stored runs carry their logs; a quarter MiB per stream keeps a run's record well under the record limit. */
    public static final int DEFAULT_LOG_LIMIT_BYTES = 256 * 1024;

    public ServicesEngineConfig {
        kafka = Map.copyOf(kafka);
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(nodeName, "nodeName");
        eventTopics = List.copyOf(eventTopics);
        if (eventTopics.isEmpty()) {
            throw new IllegalArgumentException("eventTopics: at least one topic");
        }
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(meters, "meters");
    }

    /** Events from {@value ServiceTopics#EVENTS}, the system clock, cron in real time. */
    public static ServicesEngineConfig of(Map<String, Object> kafka, Path dataDir, String nodeName, SecretBox secrets) {
        return new ServicesEngineConfig(kafka, dataDir, nodeName, List.of(ServiceTopics.EVENTS), secrets,
                Clock.systemUTC(), true, DEFAULT_LOG_LIMIT_BYTES, new SimpleMeterRegistry());
    }

    /** With an injected clock whose scheduler fires only when {@link ServicesEngine#tick} is called (tests). */
    public ServicesEngineConfig withManualClock(Clock manual) {
        return new ServicesEngineConfig(kafka, dataDir, nodeName, eventTopics, secrets, manual, false, logLimitBytes,
                meters);
    }

    /** With the meters in {@code registry}, which stays its owner's. */
    public ServicesEngineConfig withMeters(MeterRegistry registry) {
        return new ServicesEngineConfig(kafka, dataDir, nodeName, eventTopics, secrets, clock, realTimeCron,
                logLimitBytes, registry);
    }

    public Path runsDir() {
        return dataDir.resolve("services").resolve("runs");
    }
}
