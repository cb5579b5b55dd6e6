package dev.sluice.broker.internal;

import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: decodes each frame's header and body with the generated message classes, dispatches it to
 * its API's handler, and writes the responses in request order, as the protocol requires, even when handlers finish
 * out of order (a fetch waiting for data behind a produce waiting for fsync). With auth enabled, a request its
 * {@link AuthState} does not admit (anything but ApiVersions and the SASL exchange before authentication) closes
 * the connection, and so does a failed authentication once its response is written. All state but the session's is
 * confined to the connection's event loop.
 */
final class KafkaConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);

    /** A request whose response is not yet written: its encoded parts once ready, or null for no response. */
    private static final class Pending {
        final int correlationId;
        boolean done;
        List<Object> parts;

        Pending(int correlationId) {
            this.correlationId = correlationId;
        }
    }

    /** Requests of one connection being handled at once; clients send at most a handful (5 by default). */
    static final int MAX_IN_FLIGHT = 64;

    private final ApiHandlers handlers;
    private final Authorizer authorizer;
    private final BrokerMetrics metrics;
    private final ConnectionRegistry connections;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ClientSession session;

    /** A connection without auth. */
    KafkaConnection(ApiHandlers handlers) {
        this(handlers, Authorizer.allowAll());
    }

    /** A connection that must authenticate first when the authorizer enforces ACLs. */
    KafkaConnection(ApiHandlers handlers, Authorizer authorizer) {
        this(handlers, authorizer, BrokerMetrics.none());
    }

    /** A connection counted in {@code metrics}, which also times its requests. */
    KafkaConnection(ApiHandlers handlers, Authorizer authorizer, BrokerMetrics metrics) {
        this(handlers, authorizer, metrics, new ConnectionRegistry());
    }

    /** A connection counted in {@code metrics} and listed in {@code connections} while it is open. */
    KafkaConnection(ApiHandlers handlers, Authorizer authorizer, BrokerMetrics metrics,
                    ConnectionRegistry connections) {
        this.handlers = handlers;
        this.authorizer = authorizer;
        this.metrics = metrics;
        this.connections = connections;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        this.ctx = context;
        metrics.connectionOpened();
        this.session = new ClientSession(context.channel().remoteAddress(), authorizer.enforcing()
                ? new AuthState.AwaitingHandshake() : new AuthState.Authenticated(KafkaPrincipal.ANONYMOUS));
        connections.opened(session);
        super.channelActive(context);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            handleFrame(frame);
        } catch (RuntimeException e) {
            LOG.warn("closing {}: malformed request: {}", context.channel().remoteAddress(), e.toString());
            context.close();
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        metrics.connectionClosed();
        if (session != null) {
            connections.closed(session);
        }
        super.channelInactive(context);
    }

    private void handleFrame(ByteBuf frame) {
        long arrived = System.nanoTime();
        if (frame.readableBytes() < 4) {
            throw new IllegalArgumentException("frame of " + frame.readableBytes() + " bytes has no request header");
        }
        short apiKeyId = frame.getShort(frame.readerIndex());
        short version = frame.getShort(frame.readerIndex() + 2);
        if (!ApiKeys.hasId(apiKeyId)) {
            throw new IllegalArgumentException("unknown API key " + apiKeyId);
        }
        ApiKeys apiKey = ApiKeys.forId(apiKeyId);
        ApiHandler<ApiMessage> handler = handlers.handler(apiKey);
        java.nio.ByteBuffer buffer = frame.nioBuffer();
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        AuthState auth = session.state();
        if (!auth.admits(apiKey)) {
            LOG.warn("closing {}: {} is not allowed {}", ctx.channel().remoteAddress(), apiKey, switch (auth) {
                case AuthState.AwaitingHandshake _ -> "before SASL authentication";
                case AuthState.Authenticating a -> "during the SASL/" + a.mechanism() + " exchange";
                case AuthState.Failed f -> "after " + f.reason();
                case AuthState.Authenticated _ -> "";
            });
            ctx.close();
            return;
        }
        boolean supported = handler != null && version >= handler.minVersion() && version <= handler.maxVersion();
        if (!supported && apiKey == ApiKeys.API_VERSIONS) {
            // A client newer than us: answer in version 0 with the versions we have, so it can pick one (KIP-511).
            RequestHeaderData header = new RequestHeaderData();
            header.read(accessor, (short) 1);
            respondNow(header.correlationId(), (short) 0, handlers.unsupportedApiVersions(), (short) 0);
            return;
        }
        if (!supported) {
            throw new IllegalArgumentException(apiKey + " version " + version + " is not supported");
        }
        short headerVersion = apiKey.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData();
        header.read(accessor, headerVersion);
        session.requested(header.clientId(), System.currentTimeMillis());
        ApiMessage request = ApiMessageType.fromApiKey(apiKeyId).newRequest();
        request.read(accessor, version);
        if (buffer.hasRemaining()) {
            throw new IllegalArgumentException(apiKey + " request has " + buffer.remaining() + " trailing bytes");
        }
        RequestContext context = new RequestContext(version, header.correlationId(), header.clientId(),
                ctx.channel().remoteAddress(), session, authorizer);
        Pending pending = new Pending(header.correlationId());
        inFlight.addLast(pending);
        if (inFlight.size() >= MAX_IN_FLIGHT && ctx.channel().config().isAutoRead()) {
            // Backpressure: stop reading this client until some answers are out, so requests cannot pile up.
            ctx.channel().config().setAutoRead(false);
        }
        CompletableFuture<ApiMessage> response;
        try {
            response = handler.handle(context, request);
        } catch (ApiException e) {
            response = CompletableFuture.failedFuture(e);
        }
        short responseHeaderVersion = apiKey.responseHeaderVersion(version);
        Timer latency = metrics.requestTimer(apiKey);
        response.whenComplete((body, failure) -> {
            latency.record(System.nanoTime() - arrived, TimeUnit.NANOSECONDS);
            if (ctx.executor().inEventLoop()) {
                complete(pending, body, failure, version, responseHeaderVersion, apiKey);
            } else {
                ctx.executor().execute(() -> complete(pending, body, failure, version, responseHeaderVersion, apiKey));
            }
        });
    }

    private void respondNow(int correlationId, short headerVersion, ApiMessage body, short version) {
        Pending pending = new Pending(correlationId);
        pending.done = true;
        pending.parts = ResponseEncoder.encode(ctx.alloc(), correlationId, headerVersion, body, version);
        inFlight.addLast(pending);
        flushCompleted();
    }

    private void complete(Pending pending, ApiMessage body, Throwable failure, short version, short headerVersion,
                          ApiKeys apiKey) {
        if (failure != null) {
            LOG.warn("closing {}: {} failed: {}", ctx.channel().remoteAddress(), apiKey, failure.toString());
            ctx.close();
            return;
        }
        pending.done = true;
        if (body != null && ctx.channel().isActive()) {
            try {
                pending.parts = ResponseEncoder.encode(ctx.alloc(), pending.correlationId, headerVersion, body,
                        version);
            } catch (RuntimeException e) {
                // A response this version cannot carry is a broker bug; the client must not wait for it.
                LOG.error("closing {}: cannot encode {} v{} response", ctx.channel().remoteAddress(), apiKey,
                        version, e);
                ctx.close();
                return;
            }
        }
        flushCompleted();
    }

    private void flushCompleted() {
        ChannelFuture lastWrite = null;
        while (!inFlight.isEmpty() && inFlight.peekFirst().done) {
            Pending head = inFlight.pollFirst();
            if (head.parts != null) {
                for (Object part : head.parts) {
                    lastWrite = ctx.write(part);
                }
            }
        }
        if (lastWrite != null) {
            ctx.flush();
        }
        if (!ctx.channel().config().isAutoRead() && inFlight.size() < MAX_IN_FLIGHT / 2) {
            ctx.channel().config().setAutoRead(true);
        }
        if (session.state() instanceof AuthState.Failed failed && inFlight.isEmpty()) {
            // The client first reads why, as Kafka's clients expect; the handler has logged the failure.
            LOG.debug("closing {}: {}", ctx.channel().remoteAddress(), failed.reason());
            if (lastWrite != null) {
                lastWrite.addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.debug("closing {}: {}", context.channel().remoteAddress(), cause.toString());
        context.close();
    }
}
