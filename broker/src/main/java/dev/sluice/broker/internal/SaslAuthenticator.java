package dev.sluice.broker.internal;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;
import org.apache.kafka.common.security.token.delegation.internals.DelegationTokenCredentialCallback;

/**
 * Creates the server side of a SASL exchange: kafka-clients' own {@link PlainSaslServer} and
 * {@link ScramSaslServer}, with callbacks that look users up in the {@link ScramCredentials}.
 *
 * <p>Thread-safe; each server it creates belongs to one connection.
 */
final class SaslAuthenticator {
    /** The mechanisms offered, in the order SaslHandshake lists them. */
    static final List<String> MECHANISMS = List.of(PlainSaslServer.PLAIN_MECHANISM,
            ScramMechanism.SCRAM_SHA_256.mechanismName(), ScramMechanism.SCRAM_SHA_512.mechanismName());

    private final ScramCredentials credentials;

    SaslAuthenticator(ScramCredentials credentials) {
        this.credentials = credentials;
    }

    /** A server for one exchange; {@code mechanism} must be one of {@link #MECHANISMS}. */
    SaslServer newServer(String mechanism) {
        if (mechanism.equals(PlainSaslServer.PLAIN_MECHANISM)) {
            return new PlainSaslServer(this::plain);
        }
        ScramMechanism scram = ScramMechanism.forMechanismName(mechanism);
        try {
            return new ScramSaslServer(scram, Map.of(), callbacks -> scram(scram, callbacks));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(mechanism + " is not available in this JVM", e);
        }
    }

    private void plain(Callback[] callbacks) throws UnsupportedCallbackException {
        String user = null;
        for (Callback callback : callbacks) {
            switch (callback) {
                case NameCallback name -> user = name.getDefaultName();
                case PlainAuthenticateCallback password -> password.authenticated(
                        user != null && credentials.verifyPassword(user, new String(password.password())));
                default -> throw new UnsupportedCallbackException(callback);
            }
        }
    }

    private void scram(ScramMechanism mechanism, Callback[] callbacks) throws UnsupportedCallbackException {
        String user = null;
        for (Callback callback : callbacks) {
            switch (callback) {
                case NameCallback name -> user = name.getDefaultName();
                // Delegation tokens are not supported: no token owner is set, so the exchange fails.
                case DelegationTokenCredentialCallback token -> {
                }
                case ScramCredentialCallback credential -> credential.scramCredential(
                        user == null ? null : credentials.credential(user, mechanism).orElse(null));
                default -> throw new UnsupportedCallbackException(callback);
            }
        }
    }
}
