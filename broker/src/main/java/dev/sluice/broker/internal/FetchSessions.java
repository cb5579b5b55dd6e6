package dev.sluice.broker.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Uuid;

/**
 * Incremental fetch sessions (KIP-227): the broker remembers, per session, the partitions a client fetches and what it
 * last told the client about each, so that a fetch need only name the partitions whose position changed and a
 * response need only carry the partitions that have something new. Partitions that stay in a session without being
 * named ("implied") ride along with every fetch, which keeps a caught-up partition from being fetched on its own.
 *
 * <p>Sessions are not tied to connections: a client may reconnect and go on. The cache holds a bounded number of
 * sessions; when it is full a session unused for {@link #EVICTION_IDLE_NANOS} makes room, otherwise the new fetch is
 * served without a session (session id 0), which every client accepts.
 *
 * <p>Thread-safe. A session's contents are guarded by the session itself: its client sends one fetch at a time, but
 * a long poll completes on another thread than the one that accepted it.
 */
final class FetchSessions {
    /** As Kafka's {@code max.incremental.fetch.session.cache.slots}. */
    static final int DEFAULT_CAPACITY = 1000;
    /** As Kafka's {@code min.incremental.fetch.session.eviction.ms}: two minutes. */
    static final long EVICTION_IDLE_NANOS = 120_000_000_000L;

    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final int capacity;
    private final LongSupplier nanoClock;

    FetchSessions(int capacity, LongSupplier nanoClock) {
        this.capacity = capacity;
        this.nanoClock = nanoClock;
    }

    /** A new, empty session, or null when the cache is full of sessions in use. */
    synchronized Session create(boolean topicIds) {
        if (sessions.size() >= capacity && !evictOneIdle()) {
            return null;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        Session session = new Session(id, topicIds, nanoClock.getAsLong());
        sessions.put(id, session);
        return session;
    }

    Session get(int id) {
        Session session = sessions.get(id);
        if (session != null) {
            session.lastUsedNanos = nanoClock.getAsLong();
        }
        return session;
    }

    void remove(int id) {
        sessions.remove(id);
    }

    int size() {
        return sessions.size();
    }

    private boolean evictOneIdle() {
        long now = nanoClock.getAsLong();
        Session oldest = null;
        for (Session session : sessions.values()) {
            if (oldest == null || session.lastUsedNanos - oldest.lastUsedNanos < 0) {
                oldest = session;
            }
        }
        if (oldest != null && now - oldest.lastUsedNanos >= EVICTION_IDLE_NANOS) {
            sessions.remove(oldest.id);
            return true;
        }
        return false;
    }

    /**
     * A partition as a fetch names it: by topic id from version 13, by topic name before. Exactly one of the two is
     * set.
     */
    record Key(Uuid topicId, String topic, int partition) {
    }

    /** What a session knows of one partition: the client's position and limits, and what it was last told. */
    static final class Cached {
        long fetchOffset;
        int maxBytes;
        long sentHighWatermark = -1;
        long sentLogStartOffset = -1;

        Cached(long fetchOffset, int maxBytes) {
            this.fetchOffset = fetchOffset;
            this.maxBytes = maxBytes;
        }
    }

    /** One session: its id, the epoch the next fetch must carry, and its partitions in fetch order. */
    static final class Session {
        private final int id;
        private final boolean topicIds;
        private final LinkedHashMap<Key, Cached> partitions = new LinkedHashMap<>();
        private int nextEpoch = 1;
        private volatile long lastUsedNanos;

        private Session(int id, boolean topicIds, long now) {
            this.id = id;
            this.topicIds = topicIds;
            this.lastUsedNanos = now;
        }

        int id() {
            return id;
        }

        /** Whether the session names topics by id (fetch version 13 and later). */
        boolean topicIds() {
            return topicIds;
        }

        /** The partitions in the order they are read; guarded by this session. */
        LinkedHashMap<Key, Cached> partitions() {
            return partitions;
        }

        /** Guarded by this session. */
        int nextEpoch() {
            return nextEpoch;
        }

        /** Accepts a fetch with the expected epoch; the next must carry the one after (wrapping to 1, never 0). */
        void advanceEpoch() {
            nextEpoch = nextEpoch == Integer.MAX_VALUE ? 1 : nextEpoch + 1;
        }

        /** Adds or updates a partition's position; a new partition goes to the end of the fetch order. */
        void put(Key key, long fetchOffset, int maxBytes) {
            Cached cached = partitions.get(key);
            if (cached == null) {
                partitions.put(key, new Cached(fetchOffset, maxBytes));
            } else {
                cached.fetchOffset = fetchOffset;
                cached.maxBytes = maxBytes;
            }
        }

        /**
         * Moves the partitions that were just answered with something to the end of the fetch order, so that a
         * response size limit does not starve the partitions after them.
         */
        void rotateToEnd(Iterable<Key> answered) {
            for (Key key : answered) {
                Cached cached = partitions.remove(key);
                if (cached != null) {
                    partitions.put(key, cached);
                }
            }
        }

        /** Removes a partition the client no longer fetches in this session. */
        void forget(Key key) {
            partitions.remove(key);
        }
    }
}
