package dev.sluice.broker.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SaslHandshake: the client names its mechanism, and SaslAuthenticate requests carry the exchange. Version 0 is
 * advertised, because librdkafka only looks for version 1 and SaslAuthenticate once it sees 0, but not served: it
 * means raw SASL tokens outside Kafka framing, which current clients (Java, librdkafka, kafkajs) never send when
 * version 1 is offered. A v0 handshake, and an unknown mechanism, get UNSUPPORTED_SASL_MECHANISM (with the
 * mechanisms that v1 offers, none for v0), then the connection closes, as in Kafka.
 */
final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequestData> {
    private static final Logger LOG = LoggerFactory.getLogger(SaslHandshakeHandler.class);

    private final SaslAuthenticator authenticator;

    SaslHandshakeHandler(SaslAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, SaslHandshakeRequestData request) {
        ClientSession session = context.session();
        boolean legacy = context.apiVersion() == 0;
        Errors error = switch (session.state()) {
            case AuthState.AwaitingHandshake _ -> {
                String mechanism = request.mechanism();
                if (legacy) {
                    session.state(new AuthState.Failed("SaslHandshake v0 (raw SASL tokens) is not supported"));
                    yield Errors.UNSUPPORTED_SASL_MECHANISM;
                }
                if (!SaslAuthenticator.MECHANISMS.contains(mechanism)) {
                    session.state(new AuthState.Failed("unsupported SASL mechanism " + mechanism));
                    yield Errors.UNSUPPORTED_SASL_MECHANISM;
                }
                session.state(new AuthState.Authenticating(mechanism, authenticator.newServer(mechanism)));
                yield Errors.NONE;
            }
            // Re-authentication (KIP-368) is not offered: SaslAuthenticate reports a session lifetime of 0.
            case AuthState.Authenticated _ -> Errors.ILLEGAL_SASL_STATE;
            // Not admitted in these states: the connection closes before reaching here.
            case AuthState.Authenticating _, AuthState.Failed _ -> Errors.ILLEGAL_SASL_STATE;
        };
        if (error != Errors.NONE) {
            LOG.info("{}: SaslHandshake v{} for {} refused: {}", context.remote(), context.apiVersion(),
                    request.mechanism(), error);
        }
        return CompletableFuture.completedFuture(new SaslHandshakeResponseData()
                .setErrorCode(error.code())
                .setMechanisms(legacy ? List.of() : SaslAuthenticator.MECHANISMS));
    }
}
