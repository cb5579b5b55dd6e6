package dev.sluice.broker.internal;

import java.util.concurrent.CompletableFuture;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SaslAuthenticate: one token of the exchange the handshake started, answered with the server's next token. When
 * the exchange completes the connection is authenticated as {@code User:<name>}; when it fails the answer is
 * SASL_AUTHENTICATION_FAILED with a message, and the connection closes once it is written, as in Kafka. The session
 * lifetime is 0: no re-authentication (KIP-368).
 */
final class SaslAuthenticateHandler implements ApiHandler<SaslAuthenticateRequestData> {
    private static final Logger LOG = LoggerFactory.getLogger(SaslAuthenticateHandler.class);

    private final BrokerContext broker;

    SaslAuthenticateHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, SaslAuthenticateRequestData request) {
        return switch (context.session().state()) {
            // PLAIN for a stored user salts and hashes the password thousands of times: off the event loop.
            case AuthState.Authenticating authenticating -> CompletableFuture.supplyAsync(
                    () -> evaluate(context, authenticating, request.authBytes()), broker.blocking());
            case AuthState.Authenticated _ -> CompletableFuture.completedFuture(new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("SaslAuthenticate request received after successful authentication")
                    .setAuthBytes(new byte[0]));
            // Not admitted in these states: the connection closes before reaching here.
            case AuthState.AwaitingHandshake _, AuthState.Failed _ -> CompletableFuture.completedFuture(
                    new SaslAuthenticateResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                            .setAuthBytes(new byte[0]));
        };
    }

    private ApiMessage evaluate(RequestContext context, AuthState.Authenticating authenticating, byte[] token) {
        ClientSession session = context.session();
        SaslServer server = authenticating.server();
        String mechanism = authenticating.mechanism();
        try {
            byte[] challenge;
            // A client that sends its next token without waiting must not run the exchange concurrently.
            synchronized (server) {
                challenge = server.evaluateResponse(token);
            }
            if (server.isComplete()) {
                KafkaPrincipal principal = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, server.getAuthorizationID());
                session.state(new AuthState.Authenticated(principal));
                LOG.debug("{} authenticated as {} with {}", context.remote(), principal, mechanism);
            }
            return new SaslAuthenticateResponseData()
                    .setAuthBytes(challenge == null ? new byte[0] : challenge)
                    .setSessionLifetimeMs(0);
        } catch (SaslAuthenticationException e) {
            // Messages of this type are written for the client.
            return failed(context, mechanism, e.getMessage());
        } catch (SaslException | AuthenticationException e) {
            LOG.debug("{}: SASL/{} exchange failed", context.remote(), mechanism, e);
            return failed(context, mechanism, "Authentication failed during authentication due to invalid "
                    + "credentials with SASL mechanism " + mechanism);
        }
    }

    private static ApiMessage failed(RequestContext context, String mechanism, String message) {
        LOG.info("{}: SASL/{} authentication failed: {}", context.remote(), mechanism, message);
        context.session().state(new AuthState.Failed("SASL/" + mechanism + " authentication failed"));
        return new SaslAuthenticateResponseData()
                .setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                .setErrorMessage(message)
                .setAuthBytes(new byte[0]);
    }
}
