package dev.sluice.broker.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * One connection's identity: the peer's host, as ACLs name it, and its {@link AuthState}.
 *
 * <p>Thread-safe: the state is set by the SASL handlers, SaslAuthenticate's on a virtual thread, and read by the
 * connection's event loop. Clients wait for each SASL response before the next request, so transitions never race;
 * a client that does not wait finds itself in a state that does not admit its request, and is disconnected.
 */
final class ClientSession {
    private final String host;
    private volatile AuthState state;

    ClientSession(SocketAddress remote, AuthState initial) {
        this.host = remote instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress() : String.valueOf(remote);
        this.state = initial;
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
}
