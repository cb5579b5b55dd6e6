package dev.sluice.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.control.api.AddAudienceRequest;
import dev.sluice.control.api.AddAudienceResponse;
import dev.sluice.control.api.Audience;
import dev.sluice.control.api.ClientInfo;
import dev.sluice.control.api.Command;
import dev.sluice.control.api.ControlPlaneGrpc;
import dev.sluice.control.api.HeartbeatRequest;
import dev.sluice.control.api.MetricsReport;
import dev.sluice.control.api.RegisterRequest;
import dev.sluice.control.api.SendTailResponse;
import dev.sluice.control.api.SetPipelines;
import dev.sluice.control.api.TailRecord;
import dev.sluice.pipelines.InferredSchemas;
import dev.sluice.pipelines.Pipeline;
import dev.sluice.pipelines.PipelineChain;
import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.PipelineSpec;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's session with the control plane: registers the service and its audiences, applies the pipelines the
 * server pushes, heartbeats, reports metrics and feeds tails. When the server is unreachable or the stream breaks it
 * keeps the pipelines it has and registers again with exponential backoff (100 ms doubling to 30 s).
 */
public final class ControlConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlConnection.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BACKOFF_MS = 30_000;

    private final String serviceName;
    private final String sessionId = UUID.randomUUID().toString();
    private final ManagedChannel channel;
    private final ControlPlaneGrpc.ControlPlaneStub async;
    private final ControlPlaneGrpc.ControlPlaneBlockingStub blocking;
    private final Map<String, AudienceState> audiences = new ConcurrentHashMap<>();
    private final InferredSchemas schemas = new InferredSchemas();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sluice-sdk-control").factory());
    private final CountDownLatch firstPipelines = new CountDownLatch(1);
    private final Duration metricsInterval;
    private volatile boolean registered;
    private volatile boolean closed;
    private volatile StreamObserver<TailRecord> tailStream;
    private long backoffMs = 100;
    private boolean reconnectPending;

    public ControlConnection(URI url, String serviceName, String authToken, List<Audience> declared,
                             Duration metricsInterval) {
        this.serviceName = serviceName;
        this.metricsInterval = metricsInterval;
        int port = url.getPort() > 0 ? url.getPort() : ("https".equals(url.getScheme()) ? 443 : 80);
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(url.getHost(), port);
        if ("https".equals(url.getScheme())) {
            builder.useTransportSecurity();
        } else {
            builder.usePlaintext();
        }
        this.channel = builder.build();
        Channel intercepted = authToken == null ? channel
                : ClientInterceptors.intercept(channel, new BearerToken(authToken));
        this.async = ControlPlaneGrpc.newStub(intercepted);
        this.blocking = ControlPlaneGrpc.newBlockingStub(intercepted);
        for (Audience audience : declared) {
            audiences.put(key(audience), new AudienceState(audience));
        }
    }

    /** Registers now and waits up to {@code wait} for the first pipelines (or returns when the server is down). */
    public void start(Duration wait) {
        register();
        long millis = metricsInterval.toMillis();
        timer.scheduleAtFixedRate(this::heartbeatAndReport, millis, millis, TimeUnit.MILLISECONDS);
        try {
            if (!firstPipelines.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("control plane at {} did not answer within {}; running without pipelines until it does",
                        channel.authority(), wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String sessionId() {
        return sessionId;
    }

    public boolean registered() {
        return registered;
    }

    /**
     * The audience's state, declared now if it is new: the server is asked for its pipelines before this returns
     * (up to 5 s), so the first record already runs them; if the server is unreachable the audience starts empty.
     */
    public AudienceState audience(Audience audience) {
        String key = key(audience);
        AudienceState state = audiences.get(key);
        if (state != null) {
            return state;
        }
        synchronized (audiences) {
            state = audiences.get(key);
            if (state != null) {
                return state;
            }
            state = new AudienceState(audience);
            audiences.put(key, state);
        }
        if (registered) {
            try {
                AddAudienceResponse answer = blocking.withDeadlineAfter(5, TimeUnit.SECONDS)
                        .addAudience(AddAudienceRequest.newBuilder().setSessionId(sessionId)
                                .setAudience(audience).build());
                apply(answer.getPipelines());
            } catch (StatusRuntimeException e) {
                LOG.warn("could not declare audience {} to the control plane: {}", key, e.getStatus());
            }
        }
        return state;
    }

    private synchronized void register() {
        if (closed) {
            return;
        }
        RegisterRequest request = RegisterRequest.newBuilder()
                .setSessionId(sessionId)
                .setServiceName(serviceName)
                .addAllAudiences(audiences.values().stream().map(AudienceState::audience).toList())
                .setClientInfo(ClientInfo.newBuilder().setLibrary("sluice-java-sdk").setLanguage("java")
                        .setHost(host()))
                .build();
        async.register(request, new StreamObserver<>() {
            @Override
            public void onNext(Command command) {
                registered = true;
                backoffMs = 100;
                handle(command);
            }

            @Override
            public void onError(Throwable t) {
                registered = false;
                if (!closed) {
                    LOG.warn("control plane stream ended ({}); keeping the current pipelines, registering again in "
                            + "{} ms", t.getMessage(), backoffMs);
                    scheduleRegister();
                }
            }

            @Override
            public void onCompleted() {
                registered = false;
                if (!closed) {
                    scheduleRegister();
                }
            }
        });
    }

    /**
     * Registers again after the current backoff. At most one attempt is pending; the flag is cleared when the attempt
     * starts (not when its task completes), so a call that fails at once, on another thread, before the task has
     * returned still schedules the next attempt.
     */
    private synchronized void scheduleRegister() {
        if (closed || reconnectPending) {
            return;
        }
        reconnectPending = true;
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        timer.schedule(() -> {
            synchronized (this) {
                reconnectPending = false;
            }
            // The channel has its own, slower reconnect backoff (up to 2 min): ours decides when to try.
            channel.resetConnectBackoff();
            register();
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void handle(Command command) {
        switch (command.getKindCase()) {
            case SET_PIPELINES -> {
                apply(command.getSetPipelines());
                if (audiences.values().stream().allMatch(a -> a.chainSet())) {
                    firstPipelines.countDown();
                }
            }
            case START_TAIL -> startTail(command.getStartTail().getTailId(), command.getStartTail().getAudience(),
                    command.getStartTail().getSamplePerSecond());
            case STOP_TAIL -> stopTail(command.getStopTail().getTailId());
            case KEEP_ALIVE, KIND_NOT_SET -> {
            }
        }
    }

    /** Compiles and installs an audience's pipelines; a definition that does not compile keeps the old chain. */
    void apply(SetPipelines set) {
        AudienceState state = audiences.computeIfAbsent(key(set.getAudience()),
                k -> new AudienceState(set.getAudience()));
        List<Pipeline> pipelines = new ArrayList<>();
        try {
            for (String json : set.getPipelinesJsonList()) {
                PipelineSpec spec = JSON.readValue(json, PipelineSpec.class);
                pipelines.add(Pipeline.compile(spec, id -> set.getWasmModulesMap().containsKey(id)
                        ? set.getWasmModulesMap().get(id).toByteArray() : null));
            }
        } catch (IOException | PipelineException e) {
            LOG.error("pipelines for {} do not compile here, keeping the previous ones: {}", key(set.getAudience()),
                    e.getMessage());
            return;
        }
        state.set(PipelineChain.of(key(set.getAudience()), pipelines, schemas), set.getPaused());
        LOG.info("audience {}: {} pipelines{}", key(set.getAudience()), pipelines.size(),
                set.getPaused() ? " (paused)" : "");
    }

    private void startTail(String tailId, Audience audience, int perSecond) {
        AudienceState state = audiences.get(key(audience));
        if (state == null) {
            return;
        }
        state.tail(new TailSampler(tailId, sessionId, perSecond, this::sendTail));
    }

    private void stopTail(String tailId) {
        for (AudienceState state : audiences.values()) {
            TailSampler sampler = state.tail();
            if (sampler != null && sampler.tailId().equals(tailId)) {
                state.tail(null);
            }
        }
    }

    private synchronized void sendTail(TailRecord record) {
        if (tailStream == null) {
            tailStream = async.sendTail(new StreamObserver<>() {
                @Override
                public void onNext(SendTailResponse value) {
                }

                @Override
                public void onError(Throwable t) {
                    tailStream = null;
                }

                @Override
                public void onCompleted() {
                    tailStream = null;
                }
            });
        }
        try {
            tailStream.onNext(record);
        } catch (RuntimeException e) {
            tailStream = null;
        }
    }

    private void heartbeatAndReport() {
        if (!registered) {
            return;
        }
        try {
            blocking.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .heartbeat(HeartbeatRequest.newBuilder().setSessionId(sessionId).build());
            MetricsReport.Builder report = MetricsReport.newBuilder().setSessionId(sessionId);
            audiences.values().forEach(state -> report.addAudiences(state.metrics()));
            blocking.withDeadlineAfter(5, TimeUnit.SECONDS).reportMetrics(report.build());
        } catch (StatusRuntimeException e) {
            LOG.debug("heartbeat or metrics report failed: {}", e.getStatus());
        }
    }

    /** Sends the counters now (tests and shutdown). */
    public void reportNow() {
        heartbeatAndReport();
    }

    @Override
    public void close() {
        closed = true;
        heartbeatAndReport();
        timer.shutdownNow();
        StreamObserver<TailRecord> tail = tailStream;
        if (tail != null) {
            try {
                tail.onCompleted();
            } catch (RuntimeException ignored) {
                // gone already
            }
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String key(Audience audience) {
        return audience.getServiceName() + "/" + audience.getTopic() + "/" + audience.getDirection();
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Adds {@code authorization: Bearer <token>} to every call. */
    private record BearerToken(String token) implements ClientInterceptor {
        private static final Metadata.Key<String> AUTHORIZATION =
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                     Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    headers.put(AUTHORIZATION, "Bearer " + token);
                    super.start(listener, headers);
                }
            };
        }
    }
}
