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

    /** @param headers the record's headers before the pipelines; null for none */
    void offer(Audience audience, byte[] before, org.apache.kafka.common.header.Headers headers, ChainResult result) {
        java.util.Map<String, String> beforeHeaders = new java.util.LinkedHashMap<>();
        if (headers != null) {
            for (org.apache.kafka.common.header.Header header : headers) {
                beforeHeaders.put(header.key(), header.value() == null ? ""
                        : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        java.util.Map<String, String> afterHeaders = new java.util.LinkedHashMap<>(beforeHeaders);
        if (result.headers() != null) {
            afterHeaders.putAll(result.headers());
        }
        sink.accept(TailRecord.newBuilder()
                .setTailId(tailId)
                .setAudience(audience)
                .setSessionId(sessionId)
                .setTimestampMs(System.currentTimeMillis())
                .setBefore(ByteString.copyFrom(before))
                .setAfter(ByteString.copyFrom(result.value()))
                .setVerdict(result.verdict().name().toLowerCase(Locale.ROOT))
                .putAllHeadersBefore(beforeHeaders)
                .putAllHeadersAfter(afterHeaders)
                .build());
    }
}
