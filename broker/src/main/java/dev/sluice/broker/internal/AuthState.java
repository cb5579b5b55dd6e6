package dev.sluice.broker.internal;

import javax.security.sasl.SaslServer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Where a connection is in SASL authentication. With auth enabled a connection starts {@link AwaitingHandshake},
 * SaslHandshake moves it to {@link Authenticating}, and SaslAuthenticate to {@link Authenticated} or {@link Failed};
 * without auth it starts {@link Authenticated} as {@link KafkaPrincipal#ANONYMOUS}.
 */
sealed interface AuthState {

    /** Before SaslHandshake: only ApiVersions and SaslHandshake are answered. */
    record AwaitingHandshake() implements AuthState {
    }

    /** The client named a mechanism; SaslAuthenticate tokens go to {@code server} until it completes. */
    record Authenticating(String mechanism, SaslServer server) implements AuthState {
    }

    /** Every API is open, under the ACLs of {@code principal}. */
    record Authenticated(KafkaPrincipal principal) implements AuthState {
    }

    /** Authentication failed: the connection closes once the response saying so is written. */
    record Failed(String reason) implements AuthState {
    }

    /** Whether a request of this API may be handled in this state; any other closes the connection. */
    default boolean admits(ApiKeys api) {
        return switch (this) {
            case AwaitingHandshake _ -> api == ApiKeys.API_VERSIONS || api == ApiKeys.SASL_HANDSHAKE;
            case Authenticating _ -> api == ApiKeys.SASL_AUTHENTICATE;
            case Authenticated _ -> true;
            case Failed _ -> false;
        };
    }
}
