package dev.sluice.broker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.PipelineCatalog;
import dev.sluice.pipelines.PipelineChain;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples for open tails of audiences whose pipelines the broker runs: while a tail record in the catalog says
 * someone watches, up to its rate of records a second (per audience) are written, before and after, as JSON to
 * {@value PipelineCatalog#TAIL_TOPIC}, which the HTTP component's tail endpoint reads. Nothing is sampled, and
 * nothing unmasked is written, while no tail is open.
 */
final class TailSamples {
    private static final Logger LOG = LoggerFactory.getLogger(TailSamples.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PipelineCatalog catalog;
    private final SideTopics topics;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    TailSamples(PipelineCatalog catalog, SideTopics topics) {
        this.catalog = catalog;
        this.topics = topics;
    }

    /** A one-second window of samples for one audience. */
    private static final class Bucket implements RecordPipelines.Sampler {
        private volatile int perSecond;
        private long windowStartMs;
        private int taken;

        @Override
        public synchronized boolean take() {
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
    }

    /** The sampler for a chain on a topic in a direction, or null when no tail is open for it. */
    RecordPipelines.Sampler sampler(PipelineChain chain, String topic, String direction) {
        if (!catalog.tailsOpen()) {
            return null;
        }
        long now = System.currentTimeMillis();
        int rate = Math.max(catalog.tailRate(chain.audience(), now),
                catalog.tailRate(AudienceSpec.key(AudienceSpec.ANY_SERVICE, topic, direction), now));
        if (rate <= 0) {
            return null;
        }
        Bucket bucket = buckets.computeIfAbsent(chain.audience(), a -> new Bucket());
        bucket.perSecond = rate;
        return bucket;
    }

    void write(PipelineChain chain, String topic, int partition, String clientId, RecordPipelines.Outcome outcome) {
        for (RecordPipelines.Sample sample : outcome.samples()) {
            ObjectNode json = MAPPER.createObjectNode()
                    .put("audience", chain.audience())
                    .put("topic", topic)
                    .put("partition", partition)
                    .put("offset", sample.offset())
                    .put("client", clientId)
                    .put("where", "broker")
                    .put("timestamp", System.currentTimeMillis())
                    .put("verdict", sample.verdict().name().toLowerCase(Locale.ROOT));
            json.put("before", Base64.getEncoder().encodeToString(sample.before()));
            json.put("after", Base64.getEncoder().encodeToString(sample.after()));
            headers(json.putObject("headersBefore"), sample.headersBefore());
            headers(json.putObject("headersAfter"), sample.headersAfter());
            byte[] value;
            try {
                value = MAPPER.writeValueAsBytes(json);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            topics.append(PipelineCatalog.TAIL_TOPIC, chain.audience().getBytes(StandardCharsets.UTF_8), value,
                    new Header[0], System.currentTimeMillis()).whenComplete((offset, failure) -> {
                        if (failure != null) {
                            LOG.debug("tail sample not written: {}", failure.toString());
                        }
                    });
        }
    }

    /** Header values as UTF-8 text, for people to read; a key given twice shows its last value. */
    private static void headers(ObjectNode json, Header[] headers) {
        for (Header header : headers) {
            json.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
    }
}
