package dev.sluice.services;

import java.util.Map;

/**
 * The topics services live in. Definitions and runs are records of Sluice's own topics, so every process (the HTTP
 * API, each services engine) sees the same state by following them, and nothing lives only in one process's memory.
 */
public final class ServiceTopics {
    /**
     * Deployed versions ({@code version/<service>/<version>}), triggers ({@code trigger/<id>}) and encrypted secrets
     * ({@code secrets/<service>}); compacted, one partition, kept forever. See {@link ServiceCatalog}.
     */
    public static final String CATALOG = "_sluice_services";
    /** One record per run, keyed by run id, rewritten at every change; compacted, and deleted after a week. */
    public static final String RUNS = "_sluice_runs";
    /** Where events go by default: {@code POST /v1/events}, {@code sluice event send}, the events steps emit. */
    public static final String EVENTS = "sluice.events";
    /** Run lifecycle events (and pipelines' notifications). */
    public static final String OPS = "sluice.ops";
    /** Events the router cannot read go to their topic's name plus this, with the reason in a header. */
    public static final String DEAD_LETTER_SUFFIX = ".dead-letter";
    /** The dead-letter header with why the record is not a CloudEvent. */
    public static final String ERROR_HEADER = "sluice-error";
    /** The largest catalog or run record: a package is at most 10 MiB unpacked and its zip is smaller. */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    public static final Map<String, String> CATALOG_CONFIGS = Map.of(
            "cleanup.policy", "compact",
            "retention.ms", "-1",
            "max.message.bytes", Integer.toString(MAX_RECORD_BYTES));
    public static final Map<String, String> RUNS_CONFIGS = Map.of(
            "cleanup.policy", "compact,delete",
            "retention.ms", Long.toString(7L * 24 * 3600 * 1000),
            "max.message.bytes", Integer.toString(MAX_RECORD_BYTES));

    private ServiceTopics() {
    }
}
