package dev.sluice.client.internal;

import com.google.protobuf.ByteString;
import dev.sluice.control.api.Audience;
import dev.sluice.control.api.TailRecord;
import dev.sluice.pipelines.ChainResult;
import java.util.Locale;
import java.util.function.Consumer;

/** Samples at most {@code perSecond} records a second of an audience for a tail the control plane started. */
final class TailSampler {
    private final String tailId;
    private final String sessionId;
    private final int perSecond;
    private final Consumer<TailRecord> sink;
    private long windowStartMs;
    private int taken;

    TailSampler(String tailId, String sessionId, int perSecond, Consumer<TailRecord> sink) {
        this.tailId = tailId;
        this.sessionId = sessionId;
        this.perSecond = Math.max(1, perSecond);
        this.sink = sink;
    }

    String tailId() {
        return tailId;
    }

    synchronized boolean take() {
        long now = System.currentTimeMillis();
        if (now - windowStartMs >= 1000) {
            windowStartMs = now;
            taken = 0;
        }
        if (taken >= perSecond) {
            return false;
        }
        taken++;
        return true;
    }

    void offer(Audience audience, byte[] before, ChainResult result) {
        sink.accept(TailRecord.newBuilder()
                .setTailId(tailId)
                .setAudience(audience)
                .setSessionId(sessionId)
                .setTimestampMs(System.currentTimeMillis())
                .setBefore(ByteString.copyFrom(before))
                .setAfter(ByteString.copyFrom(result.value()))
                .setVerdict(result.verdict().name().toLowerCase(Locale.ROOT))
                .build());
    }
}
