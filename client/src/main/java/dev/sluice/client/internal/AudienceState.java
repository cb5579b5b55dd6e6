package dev.sluice.client.internal;

import dev.sluice.control.api.Audience;
import dev.sluice.control.api.AudienceMetrics;
import dev.sluice.pipelines.ChainResult;
import dev.sluice.pipelines.PipelineChain;
import dev.sluice.pipelines.Verdict;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One audience of an SDK client: the chain it runs now (kept when the server is unreachable), cumulative counters
 * reported to the control plane, and the tail that may be sampling it.
 */
public final class AudienceState {
    private final Audience audience;
    private volatile PipelineChain chain;
    private volatile boolean paused;
    private volatile boolean chainSet;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicReference<TailSampler> tail = new AtomicReference<>();

    AudienceState(Audience audience) {
        this.audience = audience;
    }

    public Audience audience() {
        return audience;
    }

    void set(PipelineChain chain, boolean paused) {
        this.chain = chain;
        this.paused = paused;
        this.chainSet = true;
    }

    /** Whether the control plane has told this audience's pipelines at least once. */
    boolean chainSet() {
        return chainSet;
    }

    /** The chain in force, or null when there is none (or the audience is paused). */
    public PipelineChain chain() {
        PipelineChain current = chain;
        return paused || current == null || current.isEmpty() ? null : current;
    }

    void tail(TailSampler sampler) {
        tail.set(sampler);
    }

    TailSampler tail() {
        return tail.get();
    }

    /** Runs the chain on a value, counts it, and hands a sample (with the record's headers) to an active tail. */
    public ChainResult process(byte[] value, org.apache.kafka.common.header.Headers headers, String topic) {
        PipelineChain current = chain();
        if (current == null || value == null) {
            return null;
        }
        TailSampler sampler = tail.get();
        boolean sample = sampler != null && sampler.take();
        ChainResult result = current.process(value, topic, false);
        records.incrementAndGet();
        bytes.addAndGet(value.length);
        if (result.verdict() == Verdict.DROP) {
            dropped.incrementAndGet();
        } else if (result.verdict() == Verdict.DEAD_LETTER) {
            deadLettered.incrementAndGet();
        }
        if (result.errors() > 0) {
            errors.addAndGet(result.errors());
        }
        if (sample) {
            sampler.offer(audience, value, headers, result);
        }
        return result;
    }

    AudienceMetrics metrics() {
        return AudienceMetrics.newBuilder()
                .setAudience(audience)
                .setRecords(records.get())
                .setBytes(bytes.get())
                .setErrors(errors.get())
                .setDropped(dropped.get())
                .setDeadLettered(deadLettered.get())
                .build();
    }
}
