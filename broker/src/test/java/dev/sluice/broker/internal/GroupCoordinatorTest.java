package dev.sluice.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's timers and retention, driven directly with short timeouts and a clock the test moves. */
class GroupCoordinatorTest {
    private static final long RETENTION_MS = Duration.ofDays(7).toMillis();
    private static final TopicPartition TP = new TopicPartition("events", 0);

    /** A clock that moves only when the test says so. */
    private static final class TestClock extends Clock {
        private volatile long millis = 1_000_000;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private LogManager logs;
    private ScheduledThreadPoolExecutor scheduler;
    private GroupRegistry groups;
    private GroupCoordinator coordinator;
    private GroupOffsets offsets;

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        scheduler = new ScheduledThreadPoolExecutor(1);
        load(0);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        logs.close();
    }

    /** Loads the groups from the store, as a broker starting does. */
    private void load(int initialDelayMs) {
        GroupSettings settings = new GroupSettings(initialDelayMs, 100, 60_000, RETENTION_MS, 3_600_000, 4096);
        GroupStore store = new GroupStore(logs, logs.defaults());
        groups = new GroupRegistry(store, clock);
        groups.load();
        coordinator = new GroupCoordinator(groups, store, settings, clock, scheduler);
        coordinator.startSessions();
        offsets = new GroupOffsets(groups, store, settings, clock, coordinator);
    }

    private static GroupCoordinator.JoinRequest join(String group, String memberId, int rebalanceTimeoutMs) {
        ByteBuffer subscription = ConsumerProtocol.serializeSubscription(
                new ConsumerPartitionAssignor.Subscription(List.of(TP.topic())));
        byte[] metadata = new byte[subscription.remaining()];
        subscription.get(metadata);
        return new GroupCoordinator.JoinRequest(group, memberId, null, false, false, "client", "/127.0.0.1",
                rebalanceTimeoutMs, 30_000, "consumer", List.of(new GroupMember.Protocol("range", metadata)));
    }

    private static CommittedOffset offset(long value, long committedAt) {
        return new CommittedOffset(value, -1, "", committedAt, -1);
    }

    @Test
    void membersArrivingWithinTheInitialDelayFormOneGeneration() {
        load(500);
        CompletableFuture<GroupCoordinator.JoinResult> first = coordinator.join(join("g", "", 10_000));
        boolean answeredAtOnce = first.isDone();
        assertThat(answeredAtOnce).as("held for the initial delay").isFalse();
        CompletableFuture<GroupCoordinator.JoinResult> second = coordinator.join(join("g", "", 10_000));

        GroupCoordinator.JoinResult a = first.join();
        GroupCoordinator.JoinResult b = second.join();
        assertThat(a.generationId()).isEqualTo(1).isEqualTo(b.generationId());
        GroupCoordinator.JoinResult leader = a.memberId().equals(a.leaderId()) ? a : b;
        assertThat(leader.members()).hasSize(2);
    }

    @Test
    void aRebalanceGoesOnWithoutMembersThatDoNotRejoinWithinTheRebalanceTimeout() {
        GroupCoordinator.JoinResult a = coordinator.join(join("g", "", 1000)).join();
        coordinator.sync("g", 1, a.memberId(), null, null, null, Map.of()).join();
        CompletableFuture<GroupCoordinator.JoinResult> b = coordinator.join(join("g", "", 1000));
        boolean answeredAtOnce = b.isDone();
        assertThat(answeredAtOnce).as("waits for the known member").isFalse();

        GroupCoordinator.JoinResult formed = b.join();
        assertThat(formed.generationId()).isEqualTo(2);
        assertThat(formed.leaderId()).as("the old leader did not rejoin").isEqualTo(formed.memberId());
        assertThat(formed.members()).extracting(GroupCoordinator.JoinedMember::memberId)
                .containsExactly(formed.memberId());
        assertThat(coordinator.heartbeat("g", 1, a.memberId(), null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void membersThatNeverSendSyncGroupAreRemovedAndTheGroupRebalances() {
        GroupCoordinator.JoinResult a = coordinator.join(join("g", "", 2000)).join();
        coordinator.sync("g", 1, a.memberId(), null, null, null, Map.of()).join();
        CompletableFuture<GroupCoordinator.JoinResult> b = coordinator.join(join("g", "", 2000));
        GroupCoordinator.JoinResult rejoined = coordinator.join(join("g", a.memberId(), 2000)).join();
        String memberB = b.join().memberId();
        assertThat(rejoined.generationId()).isEqualTo(2);

        GroupCoordinator.SyncResult synced = coordinator.sync("g", 2, a.memberId(), null, null, null,
                Map.of(a.memberId(), new byte[] {7}, memberB, new byte[] {8})).join();
        assertThat(synced.assignment()).containsExactly(7);
        // B's SyncGroup never comes: after the rebalance timeout B is out and A must rejoin.
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.heartbeat("g", 2, a.memberId(), null)
                == Errors.REBALANCE_IN_PROGRESS);
        assertThat(coordinator.heartbeat("g", 2, memberB, null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        GroupCoordinator.JoinResult alone = coordinator.join(join("g", a.memberId(), 2000)).join();
        assertThat(alone.generationId()).isEqualTo(3);
        assertThat(alone.members()).extracting(GroupCoordinator.JoinedMember::memberId)
                .containsExactly(a.memberId());
    }

    @Test
    void offsetsOfAGroupWithoutMembersExpireAfterTheRetentionAndTheGroupGoesWithThem() {
        offsets.commit("simple", -1, "", null, Map.of(TP, offset(5, clock.millis()))).join();
        clock.advance(RETENTION_MS - 1);
        offsets.expire().join();
        assertThat(offsets.committed("simple", null)).containsKey(TP);

        clock.advance(1);
        offsets.expire().join();
        assertThat(offsets.committed("simple", null)).isEmpty();
        assertThat(groups.list()).isEmpty();
        load(0);
        assertThat(offsets.committed("simple", null)).as("after a restart").isEmpty();
    }

    @Test
    void offsetsOfAnEmptiedGroupExpireCountingFromWhenItBecameEmpty() {
        GroupCoordinator.JoinResult joined = coordinator.join(join("g", "", 300)).join();
        coordinator.sync("g", 1, joined.memberId(), null, null, null, Map.of()).join();
        offsets.commit("g", 1, joined.memberId(), null, Map.of(TP, offset(9, clock.millis()))).join();
        clock.advance(RETENTION_MS);
        offsets.expire().join();
        assertThat(offsets.committed("g", null)).as("a stable group keeps those of topics it subscribes to")
                .containsKey(TP);

        coordinator.leave("g", List.of(new GroupCoordinator.LeavingMember(joined.memberId(), null)));
        clock.advance(RETENTION_MS - 1);
        offsets.expire().join();
        assertThat(offsets.committed("g", null)).containsKey(TP);
        clock.advance(1);
        offsets.expire().join();
        assertThat(offsets.committed("g", null)).isEmpty();
        assertThat(groups.describe("g")).isNull();
    }

    @Test
    void aCommitsOwnRetentionTimeOverridesTheBrokers() {
        offsets.commit("simple", -1, "", null,
                Map.of(TP, new CommittedOffset(3, -1, null, clock.millis(), clock.millis() + 1000))).join();
        clock.advance(1000);
        offsets.expire().join();
        assertThat(offsets.committed("simple", null)).isEmpty();
    }
}
