package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental fetch sessions (KIP-227) on the wire: a session remembers its partitions, a fetch names only what
 * changed, and a response carries only partitions with something new.
 */
class FetchSessionTest {
    private static final String TOPIC = "sessions";

    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;
    private KafkaProducer<String, String> producer;
    private Uuid topicId;
    private final List<WireClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            topicId = admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).topicId(TOPIC).get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer = new KafkaProducer<>(props);
    }

    @AfterEach
    void stop() throws Exception {
        producer.close();
        for (WireClient client : clients) {
            client.close();
        }
        broker.close();
        logs.close();
    }

    @Test
    void incrementalFetchAnswersOnlyPartitionsWithSomethingNew() throws Exception {
        WireClient client = client();
        FetchResponseData full = client.send(fetch(0, 0, 0, Map.of(0, 0L, 1, 0L, 2, 0L)), 12);
        assertThat(full.errorCode()).isZero();
        int session = full.sessionId();
        assertThat(session).isNotZero();
        assertThat(partitions(full)).containsOnlyKeys(0, 1, 2);

        FetchResponseData nothing = client.send(fetch(session, 1, 0, Map.of()), 12);
        assertThat(nothing.sessionId()).isEqualTo(session);
        assertThat(partitions(nothing)).isEmpty();

        producer.send(new ProducerRecord<>(TOPIC, 1, "k", "v")).get();
        // Partition 1 is not named: it is implied by the session, at the offset it was last fetched from.
        FetchResponseData news = client.send(fetch(session, 2, 0, Map.of()), 12);
        assertThat(partitions(news)).containsOnlyKeys(1);
        assertThat(partitions(news).get(1).highWatermark()).isEqualTo(1);
        assertThat(partitions(news).get(1).records().sizeInBytes()).isPositive();

        // The client moves its position; nothing new since the last answer, so nothing comes back.
        FetchResponseData moved = client.send(fetch(session, 3, 0, Map.of(1, 1L)), 12);
        assertThat(partitions(moved)).isEmpty();
    }

    @Test
    void longPollOnASessionWakesForAnImpliedPartition() throws Exception {
        WireClient client = client();
        int session = client.<FetchResponseData>send(fetch(0, 0, 0, Map.of(0, 0L, 1, 0L, 2, 0L)), 12).sessionId();
        CompletableFuture<FetchResponseData> waiting = CompletableFuture.supplyAsync(
                () -> client.send(fetch(session, 1, 30_000, Map.of()), 12));
        producer.send(new ProducerRecord<>(TOPIC, 2, "k", "v")).get();
        FetchResponseData woken = waiting.get();
        assertThat(partitions(woken)).containsOnlyKeys(2);
        assertThat(partitions(woken).get(2).records().sizeInBytes()).isPositive();
    }

    @Test
    void forgottenPartitionsLeaveTheSession() throws Exception {
        WireClient client = client();
        int session = client.<FetchResponseData>send(fetch(0, 0, 0, Map.of(0, 0L, 1, 0L)), 12).sessionId();
        FetchRequestData forget = fetch(session, 1, 0, Map.of());
        forget.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopic(TOPIC)
                .setPartitions(List.of(0)));
        assertThat(partitions(client.send(forget, 12))).isEmpty();

        producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v")).get();
        producer.send(new ProducerRecord<>(TOPIC, 1, "k", "v")).get();
        assertThat(partitions(client.send(fetch(session, 2, 0, Map.of()), 12))).containsOnlyKeys(1);
    }

    @Test
    void sessionsByTopicIdWorkFromVersion13AndRefuseOlderVersions() throws Exception {
        WireClient client = client();
        FetchRequestData open = fetchById(0, 0, Map.of(0, 0L, 1, 0L, 2, 0L));
        FetchResponseData full = client.send(open, 13);
        assertThat(full.responses()).singleElement()
                .satisfies(topic -> assertThat(topic.topicId()).isEqualTo(topicId));
        int session = full.sessionId();

        producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v")).get();
        FetchResponseData news = client.send(fetchById(session, 1, Map.of()), 16);
        assertThat(news.responses()).singleElement().satisfies(topic -> {
            assertThat(topic.topicId()).isEqualTo(topicId);
            assertThat(topic.partitions()).extracting(FetchResponseData.PartitionData::partitionIndex)
                    .containsExactly(0);
        });

        FetchResponseData byName = client.send(fetch(session, 2, 0, Map.of()), 12);
        assertThat(Errors.forCode(byName.errorCode())).isEqualTo(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
    }

    @Test
    void wrongEpochAndUnknownSessionAreRefusedWithTheirErrors() throws Exception {
        WireClient client = client();
        int session = client.<FetchResponseData>send(fetch(0, 0, 0, Map.of(0, 0L)), 12).sessionId();

        FetchResponseData stale = client.send(fetch(session, 5, 0, Map.of()), 12);
        assertThat(Errors.forCode(stale.errorCode())).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        assertThat(stale.responses()).isEmpty();

        FetchResponseData unknown = client.send(fetch(session + 1, 1, 0, Map.of()), 12);
        assertThat(Errors.forCode(unknown.errorCode())).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);

        // The session is still usable at the epoch it expects.
        assertThat(client.<FetchResponseData>send(fetch(session, 1, 0, Map.of()), 12).errorCode()).isZero();
    }

    @Test
    void finalEpochClosesTheSessionAndFetchesInFull() throws Exception {
        WireClient client = client();
        int session = client.<FetchResponseData>send(fetch(0, 0, 0, Map.of(0, 0L)), 12).sessionId();

        FetchResponseData last = client.send(fetch(session, -1, 0, Map.of(0, 0L, 1, 0L)), 12);
        assertThat(last.sessionId()).isZero();
        assertThat(partitions(last)).containsOnlyKeys(0, 1);

        FetchResponseData gone = client.send(fetch(session, 1, 0, Map.of()), 12);
        assertThat(Errors.forCode(gone.errorCode())).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
    }

    @Test
    void versionsBeforeSevenAlwaysFetchInFull() throws Exception {
        WireClient client = client();
        FetchResponseData response = client.send(fetch(0, 0, 0, Map.of(0, 0L, 1, 0L)), 6);
        assertThat(response.sessionId()).isZero();
        assertThat(partitions(response)).containsOnlyKeys(0, 1);
    }

    private WireClient client() {
        WireClient client = new WireClient(broker);
        clients.add(client);
        return client;
    }

    /** A fetch by topic name (versions before 13) of the given partitions at the given offsets. */
    private static FetchRequestData fetch(int sessionId, int epoch, int maxWaitMs, Map<Integer, Long> offsets) {
        FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(maxWaitMs).setMinBytes(1)
                .setMaxBytes(1 << 20).setSessionId(sessionId).setSessionEpoch(epoch);
        if (!offsets.isEmpty()) {
            request.topics().add(new FetchRequestData.FetchTopic().setTopic(TOPIC).setPartitions(fetchPartitions(offsets)));
        }
        return request;
    }

    private FetchRequestData fetchById(int sessionId, int epoch, Map<Integer, Long> offsets) {
        FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                .setMaxBytes(1 << 20).setSessionId(sessionId).setSessionEpoch(epoch);
        if (!offsets.isEmpty()) {
            request.topics().add(new FetchRequestData.FetchTopic().setTopicId(topicId)
                    .setPartitions(fetchPartitions(offsets)));
        }
        return request;
    }

    private static List<FetchRequestData.FetchPartition> fetchPartitions(Map<Integer, Long> offsets) {
        List<FetchRequestData.FetchPartition> partitions = new ArrayList<>();
        offsets.forEach((partition, offset) -> partitions.add(new FetchRequestData.FetchPartition()
                .setPartition(partition).setFetchOffset(offset).setPartitionMaxBytes(1 << 20)));
        return partitions;
    }

    /** The response's partitions of the test topic by index; fails on a partition error. */
    private static Map<Integer, FetchResponseData.PartitionData> partitions(FetchResponseData response) {
        assertThat(response.errorCode()).isZero();
        Map<Integer, FetchResponseData.PartitionData> partitions = new LinkedHashMap<>();
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                assertThat(partition.errorCode()).isZero();
                partitions.put(partition.partitionIndex(), partition);
            }
        }
        return partitions;
    }
}
