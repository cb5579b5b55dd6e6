package dev.sluice.broker.internal;

import dev.sluice.broker.KafkaClientConnection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The broker's open connections, for listing: a connection is added when accepted and removed when closed. */
final class ConnectionRegistry {
    private final Map<Long, ClientSession> open = new ConcurrentHashMap<>();

    void opened(ClientSession session) {
        open.put(session.id(), session);
    }

    void closed(ClientSession session) {
        open.remove(session.id());
    }

    /** A snapshot of every open connection, oldest first. */
    List<KafkaClientConnection> list() {
        return open.values().stream().map(ClientSession::snapshot)
                .sorted(Comparator.comparingLong(KafkaClientConnection::id)).toList();
    }
}
