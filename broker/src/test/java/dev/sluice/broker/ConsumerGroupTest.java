package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer groups of Apache's kafka-clients against the broker: rebalances, assignors, static members, admin. */
class ConsumerGroupTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;
    private Admin admin;
    private final List<Member> members = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterEach
    void stop() {
        members.forEach(Member::close);
        admin.close();
        broker.close();
        logs.close();
    }

    private void restart() throws Exception {
        admin.close();
        broker.close();
        logs.close();
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }

    private Properties consumerProps(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        // The rebalance timeout: how long a rebalance waits for a slow member.
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "20000");
        return props;
    }

    private KafkaConsumer<String, String> consumer(Properties props) {
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private void produce(String topic, int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static Set<String> values(int from, int to) {
        Set<String> values = new HashSet<>();
        for (int i = from; i < to; i++) {
            values.add("v" + i);
        }
        return values;
    }

    private Member member(String name, Properties props, String topic, Set<String> consumed) {
        Member member = new Member(name, consumer(props), topic, consumed);
        members.add(member);
        return member;
    }

    /**
     * A consumer polling in its own thread, as an application does: it records what it consumed, commits after
     * processing each batch, and tracks its assignment, generation and rebalance callbacks.
     */
    private static final class Member implements AutoCloseable {
        final String name;
        final KafkaConsumer<String, String> consumer;
        final Set<String> consumed;
        final Thread thread;
        final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        final List<Set<TopicPartition>> revoked = new CopyOnWriteArrayList<>();
        final AtomicInteger assignedCalls = new AtomicInteger();
        final AtomicInteger lostCalls = new AtomicInteger();
        volatile boolean running = true;
        volatile Set<TopicPartition> assignment = Set.of();
        volatile int generation = -1;
        volatile Throwable failure;

        Member(String name, KafkaConsumer<String, String> consumer, String topic, Set<String> consumed) {
            this.name = name;
            this.consumer = consumer;
            this.consumed = consumed;
            this.thread = Thread.ofPlatform().name("member-" + name).start(() -> run(topic));
        }

        private void run(String topic) {
            try {
                consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            revoked.add(Set.copyOf(partitions));
                        }
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        assignedCalls.incrementAndGet();
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        lostCalls.incrementAndGet();
                    }
                });
                while (running) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    for (ConsumerRecord<String, String> record : records) {
                        consumed.add(record.value());
                    }
                    if (!records.isEmpty()) {
                        commit();
                    }
                    assignment = Set.copyOf(consumer.assignment());
                    generation = consumer.groupMetadata().generationId();
                }
                commit();
            } catch (Throwable e) {
                failure = e;
            } finally {
                consumer.close(Duration.ofSeconds(10));
            }
        }

        /** Commits the positions; a commit that lost a rebalance race leaves the records to their next owner. */
        private void commit() {
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            for (TopicPartition tp : consumer.assignment()) {
                positions.put(tp, new OffsetAndMetadata(consumer.position(tp)));
            }
            try {
                consumer.commitSync(positions);
                positions.forEach((tp, offset) -> committed.merge(tp, offset.offset(), Math::max));
            } catch (CommitFailedException | RebalanceInProgressException e) {
                // At-least-once: the next owner consumes these records again.
            }
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(failure).as("member " + name).isNull();
        }
    }

    @Test
    void membersJoiningAndLeavingMidStreamLoseNoCommittedRecord() throws Exception {
        createTopic("stream", 6);
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        Properties props = consumerProps("streamers");
        Member first = member("1", props, "stream", consumed);
        Member second = member("2", props, "stream", consumed);
        member("3", props, "stream", consumed);

        int total = 6000;
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            try (KafkaProducer<String, String> producer = producer()) {
                for (int i = 0; i < total; i++) {
                    producer.send(new ProducerRecord<>("stream", "k" + i, "v" + i));
                    sent.incrementAndGet();
                    if (i % 200 == 199) {
                        // Stay a little ahead of the consumers, so that records flow while members come and go.
                        producer.flush();
                        int produced = i;
                        await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
                                .until(() -> consumed.size() >= produced - 600);
                    }
                }
            }
        });

        await().atMost(WAIT).until(() -> consumed.size() >= total / 4);
        first.close();
        await().atMost(WAIT).until(() -> consumed.size() >= total / 2);
        Member fourth = member("4", props, "stream", consumed);
        await().atMost(WAIT).until(() -> !fourth.assignment.isEmpty());
        await().atMost(WAIT).until(() -> consumed.size() >= 3 * total / 4);
        second.close();
        producing.get();
        await().atMost(WAIT).until(() -> consumed.containsAll(values(0, total)));
        Map<TopicPartition, Long> acknowledged = new HashMap<>();
        for (Member member : members) {
            member.close();
            member.committed.forEach((tp, offset) -> acknowledged.merge(tp, offset, Math::max));
        }

        // A new member starts where the group's acknowledged commits left off: nothing before them comes again.
        List<ConsumerRecord<String, String>> again = new ArrayList<>();
        try (KafkaConsumer<String, String> fresh = consumer(props)) {
            fresh.subscribe(List.of("stream"));
            await().atMost(WAIT).until(() -> {
                fresh.poll(Duration.ofMillis(100)).forEach(again::add);
                return fresh.assignment().size() == 6;
            });
            Map<TopicPartition, Long> ends = fresh.endOffsets(fresh.assignment());
            for (TopicPartition tp : fresh.assignment()) {
                assertThat(fresh.position(tp)).as("start of %s", tp).isEqualTo(acknowledged.get(tp))
                        .isEqualTo(ends.get(tp));
            }
            fresh.poll(Duration.ofMillis(200)).forEach(again::add);
        }
        assertThat(again).isEmpty();
        assertThat(acknowledged.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
    }

    @Test
    void theCooperativeStickyAssignorMovesOnlyThePartitionsThatChangeOwner() throws Exception {
        createTopic("coop", 6);
        produce("coop", 0, 600);
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        Properties props = consumerProps("cooperative");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        Member first = member("1", props, "coop", consumed);
        await().atMost(WAIT).until(() -> first.assignment.size() == 6 && first.generation == 1);

        Member second = member("2", props, "coop", consumed);
        await().atMost(WAIT).until(() -> first.assignment.size() == 3 && second.assignment.size() == 3);
        await().atMost(WAIT).until(() -> consumed.containsAll(values(0, 600)));

        Set<TopicPartition> all = new HashSet<>(first.assignment);
        all.addAll(second.assignment);
        assertThat(all).hasSize(6);
        // One rebalance revoked the moving half, a second one gave it to the new member.
        assertThat(first.revoked).singleElement().satisfies(r -> assertThat(r).hasSize(3)
                .doesNotContainAnyElementsOf(first.assignment));
        assertThat(first.lostCalls).hasValue(0);
        assertThat(first.generation).isEqualTo(3);
        assertThat(second.generation).isEqualTo(3);
    }

    @Test
    void aStaticMemberThatRestartsKeepsItsPartitionsWithoutRebalancingTheOthers() throws Exception {
        createTopic("static", 4);
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        Properties propsA = consumerProps("statics");
        // Room for the restart: the member is expected back within its session.
        propsA.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "15000");
        propsA.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "a");
        Properties propsB = consumerProps("statics");
        propsB.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "15000");
        propsB.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "b");
        Member a = member("a", propsA, "static", consumed);
        Member b = member("b", propsB, "static", consumed);
        await().atMost(WAIT).until(() -> a.assignment.size() == 2 && b.assignment.size() == 2
                && a.generation == b.generation);
        Set<TopicPartition> partitionsOfA = a.assignment;
        int generation = b.generation;
        int assignedToB = b.assignedCalls.get();

        a.close();
        // A static member does not leave on close: the group still counts it.
        assertThat(describe("statics").members()).hasSize(2);
        Member restarted = member("a-again", propsA, "static", consumed);
        await().atMost(WAIT).until(() -> restarted.assignment.equals(partitionsOfA));
        assertThat(restarted.generation).isEqualTo(generation);

        produce("static", 0, 200);
        await().atMost(WAIT).until(() -> consumed.containsAll(values(0, 200)));
        assertThat(b.generation).isEqualTo(generation);
        assertThat(b.assignedCalls).hasValue(assignedToB);
        assertThat(b.revoked).isEmpty();
        ConsumerGroupDescription group = describe("statics");
        assertThat(group.state()).isEqualTo(ConsumerGroupState.STABLE);
        assertThat(group.members()).extracting(m -> m.groupInstanceId().orElseThrow())
                .containsExactlyInAnyOrder("a", "b");
    }

    private ConsumerGroupDescription describe(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    }

    @Test
    void adminListsDescribesAndDeletesGroupsAndTheirOffsets() throws Exception {
        createTopic("admin", 2);
        produce("admin", 0, 100);
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        Member member = member("1", consumerProps("managed"), "admin", consumed);
        await().atMost(WAIT).until(() -> consumed.size() == 100);
        TopicPartition p0 = new TopicPartition("admin", 0);
        TopicPartition p1 = new TopicPartition("admin", 1);
        await().atMost(WAIT).until(() -> member.committed.getOrDefault(p0, 0L)
                + member.committed.getOrDefault(p1, 0L) == 100);

        assertThat(admin.listConsumerGroups().all().get()).singleElement().satisfies(listing -> {
            assertThat(listing.groupId()).isEqualTo("managed");
            assertThat(listing.state()).contains(ConsumerGroupState.STABLE);
        });
        ConsumerGroupDescription described = describe("managed");
        assertThat(described.state()).isEqualTo(ConsumerGroupState.STABLE);
        assertThat(described.partitionAssignor()).isEqualTo("range");
        assertThat(described.members()).singleElement().satisfies(m -> {
            assertThat(m.clientId()).startsWith("consumer-managed-");
            assertThat(m.host()).isEqualTo("/127.0.0.1");
            assertThat(m.assignment().topicPartitions()).containsExactlyInAnyOrder(p0, p1);
        });
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("managed")
                .partitionsToOffsetAndMetadata().get();
        assertThat(offsets.get(p0).offset() + offsets.get(p1).offset()).isEqualTo(100);

        assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of("managed")).all().get())
                .hasCauseInstanceOf(GroupNotEmptyException.class);
        assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets("managed", Set.of(p0)).all().get())
                .hasCauseInstanceOf(GroupSubscribedToTopicException.class);
        assertThatThrownBy(() -> admin.alterConsumerGroupOffsets("managed",
                Map.of(p0, new OffsetAndMetadata(1))).all().get()).isInstanceOf(ExecutionException.class);

        member.close();
        assertThat(describe("managed").state()).isEqualTo(ConsumerGroupState.EMPTY);
        admin.alterConsumerGroupOffsets("managed", Map.of(p0, new OffsetAndMetadata(1, "rewound"))).all().get();
        admin.deleteConsumerGroupOffsets("managed", Set.of(p1)).all().get();
        offsets = admin.listConsumerGroupOffsets("managed").partitionsToOffsetAndMetadata().get();
        assertThat(offsets).containsOnlyKeys(p0);
        assertThat(offsets.get(p0).offset()).isEqualTo(1);
        assertThat(offsets.get(p0).metadata()).isEqualTo("rewound");

        admin.deleteConsumerGroups(List.of("managed")).all().get();
        assertThat(admin.listConsumerGroups().all().get()).extracting(ConsumerGroupListing::groupId)
                .doesNotContain("managed");
        assertThat(describe("managed").state()).isEqualTo(ConsumerGroupState.DEAD);
        assertThat(admin.listConsumerGroupOffsets("managed").partitionsToOffsetAndMetadata().get()).isEmpty();
    }

    @Test
    void committedOffsetsSurviveARestartAndTheGroupResumesFromThem() throws Exception {
        createTopic("durable", 2);
        produce("durable", 0, 100);
        TopicPartition p0 = new TopicPartition("durable", 0);
        TopicPartition p1 = new TopicPartition("durable", 1);
        try (KafkaConsumer<String, String> consumer = consumer(consumerProps("resumers"))) {
            consumer.subscribe(List.of("durable"));
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 2;
            });
            consumer.commitSync(Map.of(p0, new OffsetAndMetadata(20, "first"), p1, new OffsetAndMetadata(30)));
        }

        restart();

        assertThat(admin.listConsumerGroups().all().get()).singleElement()
                .satisfies(listing -> assertThat(listing.state()).contains(ConsumerGroupState.EMPTY));
        Map<Integer, Long> resumed = new HashMap<>();
        int expected = 100 - 20 - 30;
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(consumerProps("resumers"))) {
            consumer.subscribe(List.of("durable"));
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return records.size() >= expected;
            });
            assertThat(consumer.committed(Set.of(p0)).get(p0).metadata()).isEqualTo("first");
        }
        for (ConsumerRecord<String, String> record : records) {
            resumed.merge(record.partition(), record.offset(), Math::min);
        }
        assertThat(records).hasSize(expected);
        assertThat(resumed).containsEntry(0, 20L).containsEntry(1, 30L);
    }

    @Test
    void aMemberThatStopsHeartbeatingExpiresAndItsPartitionsMoveToTheOthers() throws Exception {
        createTopic("expiry", 4);
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        Member alive = member("alive", consumerProps("expiring"), "expiry", consumed);
        await().atMost(WAIT).until(() -> alive.assignment.size() == 4);

        try (WireClient silent = new WireClient(broker)) {
            JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("expiring").setMemberId("")
                    .setSessionTimeoutMs(6000).setRebalanceTimeoutMs(20000).setProtocolType("consumer");
            join.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                    .setMetadata(bytes(ConsumerProtocol.serializeSubscription(
                            new ConsumerPartitionAssignor.Subscription(List.of("expiry"))))));
            JoinGroupResponseData first = silent.send(join, 9);
            assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
            JoinGroupResponseData joined = silent.send(join.setMemberId(first.memberId()), 9);
            assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
            SyncGroupResponseData synced = silent.send(new SyncGroupRequestData().setGroupId("expiring")
                    .setGenerationId(joined.generationId()).setMemberId(joined.memberId())
                    .setProtocolType("consumer").setProtocolName("range"), 5);
            List<TopicPartition> partitionsOfSilent = ConsumerProtocol.deserializeAssignment(
                    ByteBuffer.wrap(synced.assignment())).partitions();
            assertThat(partitionsOfSilent).hasSize(2);
            await().atMost(WAIT).until(() -> alive.assignment.size() == 2);
            assertThat(describe("expiring").members()).hasSize(2);

            // From now on the silent member sends nothing; its session of 6 s runs out.
            await().atMost(WAIT).until(() -> alive.assignment.size() == 4);
            assertThat(alive.assignment).containsAll(partitionsOfSilent);
            assertThat(describe("expiring").members()).extracting(MemberDescription::consumerId)
                    .doesNotContain(joined.memberId());
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
