package dev.sluice.broker.internal;

import dev.sluice.broker.KafkaClientConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * One connection's identity and activity: the peer's host, as ACLs name it, its {@link AuthState}, and what it has
 * said and done (client id and software, topics produced to and fetched from, groups), which the broker lists as
 * {@link KafkaClientConnection}s.
 *
 * <p>Thread-safe: the state is set by the SASL handlers, SaslAuthenticate's on a virtual thread, and read by the
 * connection's event loop. Clients wait for each SASL response before the next request, so transitions never race;
 * a client that does not wait finds itself in a state that does not admit its request, and is disconnected. The
 * activity is written by the connection's event loop and handlers, and read by whoever lists connections.
 */
final class ClientSession {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final String host;
    private final String address;
    private final long connectedAtMs;
    private volatile AuthState state;
    private volatile String clientId;
    private volatile String softwareName;
    private volatile String softwareVersion;
    private volatile long lastRequestMs;
    private volatile long requests;
    private final Set<String> producesTo = ConcurrentHashMap.newKeySet();
    private final Set<String> fetchesFrom = ConcurrentHashMap.newKeySet();
    private final Set<String> groups = ConcurrentHashMap.newKeySet();

    ClientSession(SocketAddress remote, AuthState initial) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            this.host = inet.getAddress().getHostAddress();
            this.address = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        } else {
            this.host = String.valueOf(remote);
            this.address = host;
        }
        this.connectedAtMs = System.currentTimeMillis();
        this.state = initial;
    }

    long id() {
        return id;
    }

    /** The peer's IP address, as ACL hosts are written. */
    String host() {
        return host;
    }

    AuthState state() {
        return state;
    }

    void state(AuthState next) {
        this.state = next;
    }

    /** The authenticated principal, or null before authentication. */
    KafkaPrincipal principal() {
        return state instanceof AuthState.Authenticated authenticated ? authenticated.principal() : null;
    }

    /** A request arrived: called by the connection's event loop only, so the count needs no atomic update. */
    void requested(String requestClientId, long nowMs) {
        if (requestClientId != null && !requestClientId.equals(clientId)) {
            clientId = requestClientId;
        }
        lastRequestMs = nowMs;
        requests = requests + 1;
    }

    /** What ApiVersions v3+ says the client library is (KIP-511). */
    void software(String name, String version) {
        softwareName = name == null || name.isEmpty() ? null : name;
        softwareVersion = version == null || version.isEmpty() ? null : version;
    }

    void produced(String topic) {
        remember(producesTo, topic);
    }

    void fetched(String topic) {
        remember(fetchesFrom, topic);
    }

    void inGroup(String group) {
        remember(groups, group);
    }

    private static void remember(Set<String> names, String name) {
        // The common case, a name already known, is a read; the bound keeps a client that touches many topics small.
        if (name != null && !names.contains(name) && names.size() < KafkaClientConnection.MAX_NAMES) {
            names.add(name);
        }
    }

    KafkaClientConnection snapshot() {
        KafkaPrincipal principal = principal();
        long last = lastRequestMs;
        return new KafkaClientConnection(id, address, clientId, softwareName, softwareVersion,
                principal == null ? null : principal.toString(), Instant.ofEpochMilli(connectedAtMs),
                last == 0 ? null : Instant.ofEpochMilli(last), requests, producesTo, fetchesFrom, groups);
    }
}
