package dev.sluice.broker.internal;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The consumer-group APIs (classic protocol) and the group coordinator behind them, started with the broker and
 * closed with it.
 */
final class GroupApis implements AutoCloseable {
    private final ScheduledThreadPoolExecutor scheduler;
    private final List<ApiHandler<? extends ApiMessage>> handlers;

    private final GroupOffsets offsets;

    private GroupApis(ScheduledThreadPoolExecutor scheduler, GroupOffsets offsets,
                      List<ApiHandler<? extends ApiMessage>> handlers) {
        this.scheduler = scheduler;
        this.offsets = offsets;
        this.handlers = handlers;
    }

    /** Forgets the committed offsets of a deleted topic; completes once that is durable. */
    java.util.concurrent.CompletableFuture<Void> topicDeleted(String topic) {
        return offsets.topicDeleted(topic);
    }

    static GroupApis start(BrokerContext context) {
        return start(context, GroupSettings.defaults());
    }

    /** Loads the groups and offsets recorded in {@value GroupStore#TOPIC} and starts their timers. */
    static GroupApis start(BrokerContext context, GroupSettings settings) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("sluice-group-coordinator").factory());
        // Session timers are cancelled and re-armed on every heartbeat: cancelled ones must not pile up.
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            Clock clock = Clock.systemUTC();
            GroupStore store = new GroupStore(context.logs(), context.config().logDefaults());
            GroupRegistry groups = new GroupRegistry(store, clock, context.groupLag());
            groups.load();
            GroupCoordinator coordinator = new GroupCoordinator(groups, store, settings, clock, scheduler);
            coordinator.startSessions();
            GroupOffsets offsets = new GroupOffsets(groups, store, settings, clock, coordinator, context.groupLag());
            long interval = settings.offsetsRetentionCheckIntervalMs();
            scheduler.scheduleWithFixedDelay(offsets::expire, interval, interval, TimeUnit.MILLISECONDS);
            return new GroupApis(scheduler, offsets, List.of(
                    new FindCoordinatorHandler(context),
                    new JoinGroupHandler(coordinator),
                    new SyncGroupHandler(coordinator),
                    new HeartbeatHandler(coordinator),
                    new LeaveGroupHandler(coordinator),
                    new OffsetCommitHandler(context, offsets, settings, clock),
                    new OffsetFetchHandler(offsets),
                    new OffsetDeleteHandler(context, offsets),
                    new ListGroupsHandler(groups),
                    new DescribeGroupsHandler(groups),
                    new DeleteGroupsHandler(groups)));
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
    }

    List<ApiHandler<? extends ApiMessage>> handlers() {
        return handlers;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
