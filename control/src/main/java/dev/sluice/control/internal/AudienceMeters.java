package dev.sluice.control.internal;

import dev.sluice.control.api.AudienceMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-audience counters that SDK clients report, summed over clients, as Prometheus counters
 * ({@code sluice_pipeline_records_total{audience, where="sdk"}} and bytes, errors, dropped, dead-lettered).
 *
 * <p>Clients report cumulative counts per session, so a lost report loses nothing: the total is the sum of each
 * session's latest report, plus what sessions that ended had reached, so the counters never go down.
 */
final class AudienceMeters {
    /** One audience's totals: sessions' latest reports and what ended sessions left. */
    private static final class Totals {
        final Map<String, AudienceMetrics> bySession = new ConcurrentHashMap<>();
        final long[] retired = new long[5];

        synchronized long sum(int field) {
            long total = retired[field];
            for (AudienceMetrics m : bySession.values()) {
                total += field(m, field);
            }
            return total;
        }

        synchronized void retire(String session) {
            AudienceMetrics last = bySession.remove(session);
            if (last != null) {
                for (int f = 0; f < retired.length; f++) {
                    retired[f] += field(last, f);
                }
            }
        }
    }

    private static long field(AudienceMetrics m, int field) {
        return switch (field) {
            case 0 -> m.getRecords();
            case 1 -> m.getBytes();
            case 2 -> m.getErrors();
            case 3 -> m.getDropped();
            default -> m.getDeadLettered();
        };
    }

    private static final String[] NAMES = {"sluice.pipeline.records", "sluice.pipeline.bytes",
            "sluice.pipeline.errors", "sluice.pipeline.dropped", "sluice.pipeline.dead.lettered"};

    private final MeterRegistry registry;
    private final Map<String, Totals> byAudience = new ConcurrentHashMap<>();

    AudienceMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void report(String session, String audienceKey, AudienceMetrics metrics) {
        byAudience.computeIfAbsent(audienceKey, this::register).bySession.put(session, metrics);
    }

    void sessionEnded(String session) {
        byAudience.values().forEach(totals -> totals.retire(session));
    }

    /** The summed counts of an audience: records, bytes, errors, dropped, dead-lettered. */
    long[] totals(String audienceKey) {
        Totals totals = byAudience.get(audienceKey);
        long[] sums = new long[5];
        if (totals != null) {
            for (int f = 0; f < sums.length; f++) {
                sums[f] = totals.sum(f);
            }
        }
        return sums;
    }

    private Totals register(String audienceKey) {
        Totals totals = new Totals();
        for (int f = 0; f < NAMES.length; f++) {
            int field = f;
            FunctionCounter.builder(NAMES[f], totals, t -> t.sum(field))
                    .tag("audience", audienceKey)
                    .tag("where", "sdk")
                    .description("Records SDK clients ran through an audience's pipelines, summed over clients")
                    .register(registry);
        }
        return totals;
    }
}
