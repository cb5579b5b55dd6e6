package dev.sluice.broker.internal;

import dev.sluice.log.PartitionLog;
import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.PipelineCatalog;
import dev.sluice.pipelines.PipelineChain;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's view of pipelines: it follows {@value PipelineCatalog#TOPIC} straight from its own log (no client
 * round trip) into a {@link PipelineCatalog}. The produce path asks the catalog for a topic's chain; every append to
 * the catalog topic reads what is new before that append is answered, so a pipeline attached through the REST API
 * is in force for the next produce request.
 *
 * <p>Thread-safe: reads are serialised.
 */
final class BrokerPipelines {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerPipelines.class);
    static final TopicPartition TOPIC = new TopicPartition(PipelineCatalog.TOPIC, 0);

    private final PipelineCatalog catalog = new PipelineCatalog();
    private final BrokerContext broker;
    private long next;
    private Map<String, String> lastProblems = Map.of();

    BrokerPipelines(BrokerContext broker) {
        this.broker = broker;
    }

    PipelineCatalog catalog() {
        return catalog;
    }

    /** The chain for a client's produce to a topic, or null (none attached, or the client runs its own). */
    PipelineChain produceChain(String topic, String clientId) {
        return runsOwnPipelines(clientId) ? null : catalog.produceChain(topic, clientId);
    }

    /** The chain for a client's fetch from a topic, or null (none attached, or the client runs its own). */
    PipelineChain consumeChain(String topic, String clientId) {
        return !catalog.hasConsumeChains() || runsOwnPipelines(clientId) ? null
                : catalog.consumeChain(topic, clientId);
    }

    /**
     * Sluice's SDK clients run their audiences' pipelines in-process and say so with their client id
     * ({@link AudienceSpec#SDK_CLIENT_ID_PREFIX}), so the broker does not run them a second time.
     */
    static boolean runsOwnPipelines(String clientId) {
        return clientId != null && clientId.startsWith(AudienceSpec.SDK_CLIENT_ID_PREFIX);
    }

    /** Reads the topic to its end now (at start). */
    void load() {
        read();
    }

    /**
     * Called after an append to the catalog topic is durable, before its producer is answered: reads the new records
     * now, so a change made through the REST API is in force for every produce request after its answer. Runs on the
     * catalog log's commit thread, where the records just appended are already readable.
     */
    void changed() {
        read();
    }

    private synchronized void read() {
        Optional<PartitionLog> log = broker.log(TOPIC.topic(), TOPIC.partition());
        if (log.isEmpty()) {
            return;
        }
        try {
            next = LogRecords.forEach(log.get(), next, record -> {
                if (!record.hasKey()) {
                    return;
                }
                String key = StandardCharsets.UTF_8.decode(record.key()).toString();
                byte[] value = null;
                if (record.hasValue()) {
                    ByteBuffer buffer = record.value();
                    value = new byte[buffer.remaining()];
                    buffer.get(value);
                }
                if (!catalog.apply(key, value)) {
                    LOG.warn("skipped unreadable record '{}' at offset {} of {}", key, record.offset(), TOPIC);
                }
            });
        } catch (RuntimeException e) {
            LOG.error("reading {} failed; pipelines stay as they were", TOPIC, e);
        }
        Map<String, String> problems = catalog.problems();
        if (!problems.equals(lastProblems)) {
            problems.forEach((audience, problem) -> LOG.warn("audience {}: {}", audience, problem));
            lastProblems = problems;
        }
    }
}
