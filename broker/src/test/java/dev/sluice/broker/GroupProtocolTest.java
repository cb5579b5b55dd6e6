package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The group APIs spoken on the wire in chosen versions, as old and non-Java clients speak them. */
class GroupProtocolTest {
    private static final String TOPIC = "events";

    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;
    private final List<WireClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 4, (short) 1))).all().get();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (WireClient client : clients) {
            client.close();
        }
        broker.close();
        logs.close();
    }

    private void restart() throws Exception {
        for (WireClient client : clients) {
            client.close();
        }
        clients.clear();
        broker.close();
        logs.close();
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
    }

    private WireClient client() {
        WireClient client = new WireClient(broker);
        clients.add(client);
        return client;
    }

    private static byte[] subscription(String... topics) {
        return bytes(ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(
                List.of(topics))));
    }

    private static byte[] assignment(int... partitions) {
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p : partitions) {
            assigned.add(new TopicPartition(TOPIC, p));
        }
        return bytes(ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(assigned)));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static JoinGroupRequestData joinRequest(String group, String memberId, String instanceId) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                .setMetadata(subscription(TOPIC)));
        return new JoinGroupRequestData().setGroupId(group).setMemberId(memberId).setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(15_000).setProtocolType("consumer")
                .setProtocols(protocols);
    }

    /** Joins as a new member, going through MEMBER_ID_REQUIRED when the version asks for it. */
    private static JoinGroupResponseData join(WireClient client, int version, String group, String instanceId) {
        JoinGroupResponseData response = client.send(joinRequest(group, "", instanceId), version);
        if (response.errorCode() == Errors.MEMBER_ID_REQUIRED.code()) {
            response = client.send(joinRequest(group, response.memberId(), instanceId), version);
        }
        return response;
    }

    private static SyncGroupRequestData syncRequest(String group, int generation, String memberId,
                                                    String instanceId, Map<String, byte[]> assignments) {
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId(group).setGenerationId(generation)
                .setMemberId(memberId).setGroupInstanceId(instanceId).setProtocolType("consumer")
                .setProtocolName("range");
        assignments.forEach((member, bytes) -> request.assignments().add(
                new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member).setAssignment(bytes)));
        return request;
    }

    private static short heartbeat(WireClient client, int version, String group, int generation, String memberId,
                                   String instanceId) {
        HeartbeatResponseData response = client.send(new HeartbeatRequestData().setGroupId(group)
                .setGenerationId(generation).setMemberId(memberId).setGroupInstanceId(instanceId), version);
        return response.errorCode();
    }

    private static OffsetCommitRequestData commitRequest(String group, int generation, String memberId,
                                                         String topic, int partition, long offset) {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group)
                .setGenerationIdOrMemberEpoch(generation).setMemberId(memberId);
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic)
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(partition).setCommittedOffset(offset).setCommittedMetadata("m"))));
        return request;
    }

    private static short commitError(OffsetCommitResponseData response) {
        return response.topics().getFirst().partitions().getFirst().errorCode();
    }

    @Test
    void aNewMemberIsToldToRejoinWithTheIdItIsGivenAndThenLeadsItsOwnGeneration() {
        WireClient client = client();
        JoinGroupResponseData first = client.send(joinRequest("g", "", null), 9);
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).startsWith("wire-client-");

        JoinGroupResponseData joined = client.send(joinRequest("g", first.memberId(), null), 9);
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.memberId()).isEqualTo(first.memberId());
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(joined.memberId());
        assertThat(joined.protocolType()).isEqualTo("consumer");
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.members()).singleElement()
                .satisfies(m -> assertThat(m.metadata()).isEqualTo(subscription(TOPIC)));

        SyncGroupResponseData synced = client.send(syncRequest("g", 1, joined.memberId(), null,
                Map.of(joined.memberId(), assignment(0, 1, 2, 3))), 5);
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        assertThat(synced.assignment()).isEqualTo(assignment(0, 1, 2, 3));
        assertThat(synced.protocolName()).isEqualTo("range");
        assertThat(heartbeat(client, 4, "g", 1, joined.memberId(), null)).isEqualTo(Errors.NONE.code());
        assertThat(heartbeat(client, 4, "g", 1, "someone-else", null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void aRebalanceWaitsForEveryKnownMemberAndTheLeaderAssignsThemAll() {
        WireClient a = client();
        JoinGroupResponseData first = join(a, 9, "g", null);
        String memberA = first.memberId();
        a.send(syncRequest("g", 1, memberA, null, Map.of(memberA, assignment(0, 1, 2, 3))), 5);

        WireClient b = client();
        JoinGroupResponseData pendingB = b.send(joinRequest("g", "", null), 9);
        CompletableFuture<JoinGroupResponseData> joinB = CompletableFuture.supplyAsync(
                () -> b.send(joinRequest("g", pendingB.memberId(), null), 9));
        await().atMost(Duration.ofSeconds(10)).until(() -> heartbeat(a, 4, "g", 1, memberA, null)
                == Errors.REBALANCE_IN_PROGRESS.code());
        assertThat(joinB).isNotDone();

        JoinGroupResponseData rejoinedA = a.send(joinRequest("g", memberA, null), 9);
        JoinGroupResponseData joinedB = joinB.join();
        assertThat(rejoinedA.generationId()).isEqualTo(2).isEqualTo(joinedB.generationId());
        assertThat(rejoinedA.leader()).isEqualTo(memberA).isEqualTo(joinedB.leader());
        assertThat(rejoinedA.members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
                .containsExactlyInAnyOrder(memberA, joinedB.memberId());
        assertThat(joinedB.members()).isEmpty();
        assertThat(heartbeat(a, 4, "g", 1, memberA, null)).isEqualTo(Errors.ILLEGAL_GENERATION.code());

        CompletableFuture<SyncGroupResponseData> syncB = CompletableFuture.supplyAsync(
                () -> b.send(syncRequest("g", 2, joinedB.memberId(), null, Map.of()), 5));
        await().atMost(Duration.ofSeconds(10)).until(() -> heartbeat(a, 4, "g", 2, memberA, null)
                == Errors.NONE.code());
        SyncGroupResponseData syncA = a.send(syncRequest("g", 2, memberA, null,
                Map.of(memberA, assignment(0, 1), joinedB.memberId(), assignment(2, 3))), 5);
        assertThat(syncA.assignment()).isEqualTo(assignment(0, 1));
        assertThat(syncB.join().assignment()).isEqualTo(assignment(2, 3));

        DescribeGroupsResponseData described = a.send(new DescribeGroupsRequestData().setGroups(List.of("g")), 5);
        DescribeGroupsResponseData.DescribedGroup group = described.groups().getFirst();
        assertThat(group.groupState()).isEqualTo("Stable");
        assertThat(group.protocolData()).isEqualTo("range");
        assertThat(group.members()).hasSize(2).allSatisfy(m -> {
            assertThat(m.clientHost()).isEqualTo("/127.0.0.1");
            assertThat(m.memberMetadata()).isEqualTo(subscription(TOPIC));
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 9})
    void aStaticMemberComingBackUnderANewIdKeepsItsGenerationAndFencesItsOldId(int joinVersion) {
        WireClient first = client();
        JoinGroupResponseData joined = first.send(joinRequest("g", "", "instance-1"), joinVersion);
        assertThat(Errors.forCode(joined.errorCode())).as("static members skip MEMBER_ID_REQUIRED")
                .isEqualTo(Errors.NONE);
        String oldId = joined.memberId();
        first.send(syncRequest("g", 1, oldId, "instance-1", Map.of(oldId, assignment(0, 1, 2, 3))), 5);

        WireClient restarted = client();
        JoinGroupResponseData again = restarted.send(joinRequest("g", "", "instance-1"), joinVersion);
        assertThat(Errors.forCode(again.errorCode())).isEqualTo(Errors.NONE);
        assertThat(again.memberId()).isNotEqualTo(oldId).startsWith("instance-1-");
        assertThat(again.generationId()).as("no rebalance").isEqualTo(1);
        if (joinVersion >= 9) {
            assertThat(again.leader()).isEqualTo(again.memberId());
            assertThat(again.skipAssignment()).isTrue();
        } else {
            assertThat(again.leader()).as("named after the old id, so the member only syncs").isEqualTo(oldId);
        }
        SyncGroupResponseData synced = restarted.send(syncRequest("g", 1, again.memberId(), "instance-1",
                Map.of()), 5);
        assertThat(synced.assignment()).isEqualTo(assignment(0, 1, 2, 3));

        assertThat(heartbeat(first, 4, "g", 1, oldId, "instance-1")).isEqualTo(Errors.FENCED_INSTANCE_ID.code());
        assertThat(Errors.forCode(first.<JoinGroupResponseData>send(joinRequest("g", oldId, "instance-1"),
                joinVersion).errorCode())).isEqualTo(Errors.FENCED_INSTANCE_ID);
        OffsetCommitRequestData zombieCommit = commitRequest("g", 1, oldId, TOPIC, 0, 5)
                .setGroupInstanceId("instance-1");
        assertThat(commitError(first.send(zombieCommit, 8))).isEqualTo(Errors.FENCED_INSTANCE_ID.code());
        assertThat(heartbeat(restarted, 4, "g", 1, again.memberId(), "instance-1")).isEqualTo(Errors.NONE.code());
    }

    @Test
    void aStableGroupIsRestoredAtRestartSoItsStaticMemberRejoinsWithoutARebalance() throws Exception {
        WireClient client = client();
        JoinGroupResponseData joined = client.send(joinRequest("g", "", "instance-1"), 9);
        client.send(syncRequest("g", 1, joined.memberId(), "instance-1",
                Map.of(joined.memberId(), assignment(2, 3))), 5);
        assertThat(commitError(client.send(commitRequest("g", 1, joined.memberId(), TOPIC, 2, 42)
                .setGroupInstanceId("instance-1"), 9))).isEqualTo(Errors.NONE.code());

        restart();

        WireClient after = client();
        DescribeGroupsResponseData.DescribedGroup described = after.<DescribeGroupsResponseData>send(
                new DescribeGroupsRequestData().setGroups(List.of("g")), 5).groups().getFirst();
        assertThat(described.groupState()).isEqualTo("Stable");
        assertThat(described.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(joined.memberId());
            assertThat(m.groupInstanceId()).isEqualTo("instance-1");
            assertThat(m.memberAssignment()).isEqualTo(assignment(2, 3));
        });
        JoinGroupResponseData again = after.send(joinRequest("g", "", "instance-1"), 9);
        assertThat(again.generationId()).isEqualTo(1);
        assertThat(after.<SyncGroupResponseData>send(syncRequest("g", 1, again.memberId(), "instance-1",
                Map.of()), 5).assignment()).isEqualTo(assignment(2, 3));
        OffsetFetchResponseData fetched = after.send(new OffsetFetchRequestData().setGroupId("g").setTopics(null), 7);
        assertThat(fetched.topics()).singleElement().satisfies(t -> assertThat(t.partitions()).singleElement()
                .satisfies(p -> {
                    assertThat(p.partitionIndex()).isEqualTo(2);
                    assertThat(p.committedOffset()).isEqualTo(42);
                    assertThat(p.metadata()).isEqualTo("m");
                }));
    }

    /** The version of each API a client speaks. */
    record Versions(String client, int find, int join, int sync, int heartbeat, int commit, int fetch, int leave,
                    int list, int describe, int delete) {
        @Override
        public String toString() {
            return client;
        }
    }

    static List<Versions> clientVersions() {
        return List.of(
                new Versions("oldest", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new Versions("kafkajs-2", 2, 5, 3, 3, 5, 4, 3, 2, 2, 1),
                new Versions("librdkafka-2", 2, 5, 3, 3, 7, 7, 1, 4, 4, 1),
                new Versions("first-flexible", 3, 6, 4, 4, 8, 6, 4, 3, 5, 2),
                new Versions("kafka-clients-3.9", 6, 9, 5, 4, 9, 9, 5, 5, 5, 2));
    }

    @ParameterizedTest
    @MethodSource("clientVersions")
    void everyClientGenerationRunsAGroupFromJoinToDeletion(Versions v) {
        WireClient client = client();
        FindCoordinatorRequestData find = v.find() >= 4
                ? new FindCoordinatorRequestData().setCoordinatorKeys(List.of("g"))
                : new FindCoordinatorRequestData().setKey("g");
        FindCoordinatorResponseData coordinator = client.send(find, v.find());
        int port = v.find() >= 4 ? coordinator.coordinators().getFirst().port() : coordinator.port();
        assertThat(port).isEqualTo(broker.boundAddress().getPort());

        JoinGroupResponseData joined = join(client, v.join(), "g", null);
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        String member = joined.memberId();
        SyncGroupResponseData synced = client.send(syncRequest("g", joined.generationId(), member, null,
                Map.of(member, assignment(0, 1, 2, 3))).setProtocolType(v.sync() >= 5 ? "consumer" : null)
                .setProtocolName(v.sync() >= 5 ? "range" : null), v.sync());
        assertThat(synced.assignment()).isEqualTo(assignment(0, 1, 2, 3));
        assertThat(heartbeat(client, v.heartbeat(), "g", joined.generationId(), member, null))
                .isEqualTo(Errors.NONE.code());

        // v0 commits carry no member: allowed once the group is empty.
        if (v.commit() >= 1) {
            assertThat(commitError(client.send(commitRequest("g", joined.generationId(), member, TOPIC, 1, 7),
                    v.commit()))).isEqualTo(Errors.NONE.code());
        }
        if (v.leave() >= 3) {
            LeaveGroupResponseData left = client.send(new LeaveGroupRequestData().setGroupId("g").setMembers(
                    List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(member))), v.leave());
            assertThat(left.members()).singleElement().satisfies(m -> assertThat(m.errorCode()).isZero());
        } else {
            LeaveGroupResponseData left = client.send(new LeaveGroupRequestData().setGroupId("g")
                    .setMemberId(member), v.leave());
            assertThat(left.errorCode()).isZero();
        }
        if (v.commit() == 0) {
            assertThat(commitError(client.send(commitRequest("g", -1, "", TOPIC, 1, 7), 0)))
                    .isEqualTo(Errors.NONE.code());
        }

        long committed;
        if (v.fetch() >= 8) {
            OffsetFetchResponseData fetched = client.send(new OffsetFetchRequestData().setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(List.of(
                            new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(TOPIC)
                                    .setPartitionIndexes(List.of(0, 1)))))), v.fetch());
            List<OffsetFetchResponseData.OffsetFetchResponsePartitions> partitions =
                    fetched.groups().getFirst().topics().getFirst().partitions();
            assertThat(partitions.get(0).committedOffset()).isEqualTo(-1);
            committed = partitions.get(1).committedOffset();
        } else {
            OffsetFetchResponseData fetched = client.send(new OffsetFetchRequestData().setGroupId("g").setTopics(
                    List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(TOPIC)
                            .setPartitionIndexes(List.of(0, 1)))), v.fetch());
            List<OffsetFetchResponseData.OffsetFetchResponsePartition> partitions =
                    fetched.topics().getFirst().partitions();
            assertThat(partitions.get(0).committedOffset()).isEqualTo(-1);
            committed = partitions.get(1).committedOffset();
        }
        assertThat(committed).isEqualTo(7);

        ListGroupsResponseData listed = client.send(new ListGroupsRequestData(), v.list());
        assertThat(listed.groups()).singleElement().satisfies(g -> {
            assertThat(g.groupId()).isEqualTo("g");
            assertThat(g.protocolType()).isEqualTo("consumer");
        });
        DescribeGroupsResponseData described = client.send(new DescribeGroupsRequestData()
                .setGroups(List.of("g")), v.describe());
        assertThat(described.groups().getFirst().groupState()).isEqualTo("Empty");
        DeleteGroupsResponseData deleted = client.send(new DeleteGroupsRequestData()
                .setGroupsNames(List.of("g", "never-was")), v.delete());
        assertThat(deleted.results().find("g").errorCode()).isZero();
        assertThat(deleted.results().find("never-was").errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(client.<ListGroupsResponseData>send(new ListGroupsRequestData(), v.list()).groups()).isEmpty();
    }

    @Test
    void offsetCommitsAreCheckedAgainstTheTopicAndTheGroup() {
        WireClient client = client();
        assertThat(commitError(client.send(commitRequest("g", -1, "", "no-such-topic", 0, 1), 9)))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(commitError(client.send(commitRequest("g", -1, "", TOPIC, 4, 1), 9)))
                .as("partition past the end").isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(commitError(client.send(commitRequest("unknown", 3, "m", TOPIC, 0, 1), 9)))
                .isEqualTo(Errors.ILLEGAL_GENERATION.code());
        OffsetCommitRequestData tooLarge = commitRequest("g", -1, "", TOPIC, 0, 1);
        tooLarge.topics().getFirst().partitions().getFirst().setCommittedMetadata("x".repeat(4097));
        assertThat(commitError(client.send(tooLarge, 9))).isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE.code());

        JoinGroupResponseData joined = join(client, 9, "g", null);
        client.send(syncRequest("g", 1, joined.memberId(), null, Map.of()), 5);
        assertThat(commitError(client.send(commitRequest("g", -1, "", TOPIC, 0, 1), 9)))
                .as("an outsider cannot commit for an active group").isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(commitError(client.send(commitRequest("g", 7, joined.memberId(), TOPIC, 0, 1), 9)))
                .isEqualTo(Errors.ILLEGAL_GENERATION.code());
        assertThat(commitError(client.send(commitRequest("g", 1, joined.memberId(), TOPIC, 0, 1), 9)))
                .isEqualTo(Errors.NONE.code());
        assertThat(client.<JoinGroupResponseData>send(joinRequest("other", "made-up", null), 9).errorCode())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        DeleteGroupsResponseData deleted = client.send(new DeleteGroupsRequestData()
                .setGroupsNames(List.of("g")), 2);
        assertThat(deleted.results().find("g").errorCode()).isEqualTo(Errors.NON_EMPTY_GROUP.code());
    }

    @Test
    void offsetFetchAnswersSeveralGroupsAtOnceAndNullTopicsMeansAllCommitted() {
        WireClient client = client();
        client.send(commitRequest("g1", -1, "", TOPIC, 0, 10), 9);
        client.send(commitRequest("g1", -1, "", TOPIC, 3, 13), 9);
        client.send(commitRequest("g2", -1, "", TOPIC, 1, 21), 9);

        OffsetFetchResponseData fetched = client.send(new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g1").setTopics(null),
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g2").setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(TOPIC)
                                .setPartitionIndexes(List.of(1, 2)))),
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g3").setTopics(null))), 8);

        assertThat(fetched.groups()).hasSize(3);
        assertThat(fetched.groups().get(0).topics()).singleElement().satisfies(t -> assertThat(t.partitions())
                .extracting(p -> p.partitionIndex() + "@" + p.committedOffset())
                .containsExactly("0@10", "3@13"));
        assertThat(fetched.groups().get(1).topics()).singleElement().satisfies(t -> assertThat(t.partitions())
                .extracting(p -> p.partitionIndex() + "@" + p.committedOffset())
                .containsExactly("1@21", "2@-1"));
        assertThat(fetched.groups().get(2).topics()).isEmpty();
        assertThat(fetched.groups()).allSatisfy(g -> assertThat(g.errorCode()).isZero());
    }

    @Test
    void listGroupsFiltersByStateAndType() {
        WireClient client = client();
        client.send(commitRequest("simple", -1, "", TOPIC, 0, 1), 9);
        JoinGroupResponseData joined = join(client, 9, "active", null);
        client.send(syncRequest("active", 1, joined.memberId(), null, Map.of()), 5);

        ListGroupsResponseData stable = client.send(new ListGroupsRequestData().setStatesFilter(List.of("stable")),
                4);
        assertThat(stable.groups()).extracting(ListGroupsResponseData.ListedGroup::groupId).containsExactly("active");
        ListGroupsResponseData all = client.send(new ListGroupsRequestData(), 5);
        assertThat(all.groups()).extracting(g -> g.groupId() + ":" + g.groupState() + ":" + g.groupType())
                .containsExactly("active:Stable:classic", "simple:Empty:classic");
        assertThat(client.<ListGroupsResponseData>send(new ListGroupsRequestData()
                .setTypesFilter(List.of("consumer")), 5).groups()).isEmpty();
    }

    @Test
    void aMemberIdRequiredThatNeverComesBackDoesNotHoldUpTheGroupForever() {
        WireClient a = client();
        JoinGroupResponseData joined = join(a, 9, "g", null);
        a.send(syncRequest("g", 1, joined.memberId(), null, Map.of()), 5);
        WireClient b = client();
        JoinGroupResponseData pending = b.send(joinRequest("g", "", null), 9);
        assertThat(Errors.forCode(pending.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        // The pending member is not in the group yet: the stable group carries on.
        assertThat(heartbeat(a, 4, "g", 1, joined.memberId(), null)).isEqualTo(Errors.NONE.code());
        LeaveGroupResponseData left = b.send(new LeaveGroupRequestData().setGroupId("g").setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId(pending.memberId()))), 5);
        assertThat(left.members().getFirst().errorCode()).isZero();
        await().during(Duration.ofMillis(300)).atMost(5, TimeUnit.SECONDS)
                .until(() -> heartbeat(a, 4, "g", 1, joined.memberId(), null) == Errors.NONE.code());
    }
}
