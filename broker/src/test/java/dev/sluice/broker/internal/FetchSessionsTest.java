package dev.sluice.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FetchSessionsTest {
    private final AtomicLong now = new AtomicLong();
    private final FetchSessions sessions = new FetchSessions(2, now::get);

    @Test
    void aFullCacheRefusesNewSessionsWhileAllAreInUse() {
        assertThat(sessions.create(false)).isNotNull();
        assertThat(sessions.create(false)).isNotNull();
        now.addAndGet(TimeUnit.SECONDS.toNanos(119));
        assertThat(sessions.create(false)).isNull();
        assertThat(sessions.size()).isEqualTo(2);
    }

    @Test
    void aFullCacheEvictsTheLeastRecentlyUsedIdleSession() {
        FetchSessions.Session first = sessions.create(false);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        FetchSessions.Session second = sessions.create(false);
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        sessions.get(first.id());
        now.addAndGet(TimeUnit.SECONDS.toNanos(115));

        FetchSessions.Session third = sessions.create(true);

        assertThat(third).isNotNull();
        assertThat(sessions.get(second.id())).isNull();
        assertThat(sessions.get(first.id())).isSameAs(first);
    }

    @Test
    void epochsWrapToOneNotZero() {
        FetchSessions.Session session = sessions.create(false);
        assertThat(session.nextEpoch()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            session.advanceEpoch();
        }
        assertThat(session.nextEpoch()).isEqualTo(4);
    }
}
