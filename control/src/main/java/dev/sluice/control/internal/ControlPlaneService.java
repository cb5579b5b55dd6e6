package dev.sluice.control.internal;

import dev.sluice.control.api.AddAudienceRequest;
import dev.sluice.control.api.AddAudienceResponse;
import dev.sluice.control.api.Audience;
import dev.sluice.control.api.AudienceMetrics;
import dev.sluice.control.api.ClientSession;
import dev.sluice.control.api.Command;
import dev.sluice.control.api.ControlPlaneGrpc;
import dev.sluice.control.api.Direction;
import dev.sluice.control.api.HeartbeatRequest;
import dev.sluice.control.api.HeartbeatResponse;
import dev.sluice.control.api.KeepAlive;
import dev.sluice.control.api.ListClientsRequest;
import dev.sluice.control.api.ListClientsResponse;
import dev.sluice.control.api.MetricsReport;
import dev.sluice.control.api.MetricsResponse;
import dev.sluice.control.api.RegisterRequest;
import dev.sluice.control.api.SendTailResponse;
import dev.sluice.control.api.SetPipelines;
import dev.sluice.control.api.StartTail;
import dev.sluice.control.api.StopTail;
import dev.sluice.control.api.TailRecord;
import dev.sluice.control.api.TailRequest;
import dev.sluice.pipelines.AudienceSpec;
import dev.sluice.pipelines.Pipeline;
import dev.sluice.pipelines.PipelineCatalog;
import dev.sluice.pipelines.PipelineChain;
import dev.sluice.pipelines.StepSpec;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's gRPC service: SDK sessions, the pipelines pushed to them (again whenever the catalog
 * changes), their metrics, and tails. Sessions live in memory: a client that loses its stream registers again.
 */
public final class ControlPlaneService extends ControlPlaneGrpc.ControlPlaneImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneService.class);
    static final long SESSION_TIMEOUT_MS = 30_000;
    static final long KEEPALIVE_MS = 10_000;

    private final PipelineCatalog catalog;
    private final AudienceMeters meters;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Tail> tails = new ConcurrentHashMap<>();

    /** A console or CLI watching an audience's records before and after its pipelines. */
    private record Tail(String id, Audience audience, int perSecond, StreamObserver<TailRecord> out) {
    }

    public ControlPlaneService(PipelineCatalog catalog, io.micrometer.core.instrument.MeterRegistry registry,
                               ScheduledExecutorService timer, LongSupplier clock) {
        this.catalog = catalog;
        this.meters = new AudienceMeters(registry);
        this.clock = clock;
        this.timer = timer;
        catalog.onChange(() -> timer.execute(this::pushAll));
        timer.scheduleAtFixedRate(this::keepAlive, KEEPALIVE_MS, KEEPALIVE_MS, TimeUnit.MILLISECONDS);
    }

    // --- sessions

    @Override
    public void register(RegisterRequest request, StreamObserver<Command> responses) {
        String problem = checkRegistration(request.getServiceName(), request.getSessionId());
        for (Audience audience : request.getAudiencesList()) {
            problem = problem != null ? problem : checkAudience(audience);
        }
        if (problem != null) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
            return;
        }
        Session session = new Session(request.getSessionId(), request.getServiceName(), request.getClientInfo(),
                clock.getAsLong(), responses);
        session.audiences().addAll(request.getAudiencesList());
        Session replaced = sessions.put(session.id(), session);
        if (replaced != null) {
            replaced.close();
        }
        if (responses instanceof ServerCallStreamObserver<Command> call) {
            call.setOnCancelHandler(() -> ended(session));
        }
        LOG.info("client {} of service {} registered with {} audiences", session.id(), session.service(),
                session.audiences().size());
        // The first command tells the client it is registered, even when it declared no audience yet.
        session.send(Command.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build());
        for (Audience audience : session.audiences()) {
            push(session, audience);
        }
        for (Tail tail : tails.values()) {
            for (Audience audience : session.audiences()) {
                if (covers(tail.audience(), audience)) {
                    session.send(startTail(tail, audience));
                }
            }
        }
    }

    private void ended(Session session) {
        if (sessions.remove(session.id(), session)) {
            meters.sessionEnded(session.id());
            LOG.info("client {} of service {} disconnected", session.id(), session.service());
        }
        session.close();
    }

    @Override
    public void addAudience(AddAudienceRequest request, StreamObserver<AddAudienceResponse> responses) {
        Session session = sessions.get(request.getSessionId());
        if (session == null) {
            responses.onError(Status.NOT_FOUND.withDescription("no session " + request.getSessionId()
                    + ": register first").asRuntimeException());
            return;
        }
        String problem = checkAudience(request.getAudience());
        if (problem != null) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
            return;
        }
        session.audiences().add(request.getAudience());
        SetPipelines set = pipelinesFor(request.getAudience());
        session.sendIfChanged(key(request.getAudience()), set.toByteString(), null);
        responses.onNext(AddAudienceResponse.newBuilder().setPipelines(set).build());
        responses.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> responses) {
        Session session = sessions.get(request.getSessionId());
        if (session == null) {
            responses.onError(Status.NOT_FOUND.withDescription("no session " + request.getSessionId()
                    + ": register again").asRuntimeException());
            return;
        }
        session.heartbeat(clock.getAsLong());
        responses.onNext(HeartbeatResponse.getDefaultInstance());
        responses.onCompleted();
    }

    @Override
    public void reportMetrics(MetricsReport request, StreamObserver<MetricsResponse> responses) {
        Session session = sessions.get(request.getSessionId());
        if (session == null) {
            responses.onError(Status.NOT_FOUND.withDescription("no session " + request.getSessionId())
                    .asRuntimeException());
            return;
        }
        for (AudienceMetrics metrics : request.getAudiencesList()) {
            meters.report(session.id(), key(metrics.getAudience()), metrics);
        }
        responses.onNext(MetricsResponse.getDefaultInstance());
        responses.onCompleted();
    }

    @Override
    public void listClients(ListClientsRequest request, StreamObserver<ListClientsResponse> responses) {
        responses.onNext(ListClientsResponse.newBuilder().addAllClients(clients()).build());
        responses.onCompleted();
    }

    /** The live sessions, oldest first. */
    public List<ClientSession> clients() {
        return sessions.values().stream()
                .sorted(java.util.Comparator.comparingLong(Session::connectedAtMs))
                .map(session -> ClientSession.newBuilder()
                        .setSessionId(session.id())
                        .setServiceName(session.service())
                        .addAllAudiences(session.audiences())
                        .setClientInfo(session.info())
                        .setConnectedAtMs(session.connectedAtMs())
                        .setLastHeartbeatMs(session.lastHeartbeatMs())
                        .build())
                .toList();
    }

    /** The summed SDK counters of an audience (records, bytes, errors, dropped, dead-lettered). */
    public long[] audienceTotals(String audienceKey) {
        return meters.totals(audienceKey);
    }

    public int sessionCount() {
        return sessions.size();
    }

    // --- pipelines

    private void pushAll() {
        for (Session session : sessions.values()) {
            for (Audience audience : session.audiences()) {
                push(session, audience);
            }
        }
    }

    private void push(Session session, Audience audience) {
        SetPipelines set = pipelinesFor(audience);
        if (!session.sendIfChanged(key(audience), set.toByteString(),
                Command.newBuilder().setSetPipelines(set).build())) {
            ended(session);
        }
    }

    /**
     * What an SDK client runs for an audience: the same chain the broker would run for a client with that service
     * name (the {@code *} audience's pipelines, then the service's own), and the wasm modules they use, once each.
     */
    SetPipelines pipelinesFor(Audience audience) {
        PipelineChain chain = audience.getDirection() == Direction.DIRECTION_CONSUME
                ? catalog.consumeChain(audience.getTopic(), audience.getServiceName())
                : catalog.produceChain(audience.getTopic(), audience.getServiceName());
        SetPipelines.Builder set = SetPipelines.newBuilder().setAudience(audience);
        Map<String, ByteString> modules = new LinkedHashMap<>();
        if (chain != null) {
            for (Pipeline pipeline : chain.pipelines()) {
                set.addPipelinesJson(new String(PipelineCatalog.json(pipeline.spec()), StandardCharsets.UTF_8));
                for (StepSpec step : pipeline.spec().steps()) {
                    if (step.wasm() != null && !modules.containsKey(step.wasm().module())) {
                        byte[] module = catalog.wasmModule(step.wasm().module());
                        if (module != null) {
                            modules.put(step.wasm().module(), ByteString.copyFrom(module));
                        }
                    }
                }
            }
        }
        set.putAllWasmModules(modules);
        String specKey = AudienceSpec.key(audience.getServiceName(), audience.getTopic(), direction(audience));
        set.setPaused(catalog.audience(specKey).map(AudienceSpec::pausedNow).orElse(false));
        return set.build();
    }

    // --- keepalive

    private void keepAlive() {
        long now = clock.getAsLong();
        Command keepAlive = Command.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build();
        for (Session session : sessions.values()) {
            if (now - session.lastHeartbeatMs() > SESSION_TIMEOUT_MS) {
                LOG.info("client {} of service {} sent no heartbeat for {} ms: dropped", session.id(),
                        session.service(), now - session.lastHeartbeatMs());
                ended(session);
            } else if (!session.send(keepAlive)) {
                ended(session);
            }
        }
    }

    // --- tail

    @Override
    public void tail(TailRequest request, StreamObserver<TailRecord> responses) {
        String problem = checkAudience(request.getAudience());
        if (problem != null) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
            return;
        }
        Runnable stop = openTail(request.getAudience(), request.getSamplePerSecond(), responses);
        if (responses instanceof ServerCallStreamObserver<TailRecord> call) {
            call.setOnCancelHandler(stop::run);
        }
    }

    /**
     * Starts a tail on the SDK clients that run an audience (service {@code *}: every client on the topic in that
     * direction); their samples go to {@code out} until the returned action stops it.
     */
    public Runnable openTail(Audience audience, int perSecond, StreamObserver<TailRecord> out) {
        int rate = perSecond <= 0 ? 10 : Math.min(perSecond, 1000);
        Tail tail = new Tail(UUID.randomUUID().toString(), audience, rate, out);
        tails.put(tail.id(), tail);
        for (Session session : sessions.values()) {
            for (Audience own : session.audiences()) {
                if (covers(audience, own)) {
                    session.send(startTail(tail, own));
                }
            }
        }
        return () -> stopTail(tail);
    }

    /** Whether a tail on {@code tailed} covers a client's {@code audience}. */
    private static boolean covers(Audience tailed, Audience audience) {
        return tailed.getTopic().equals(audience.getTopic()) && tailed.getDirection() == audience.getDirection()
                && (tailed.getServiceName().equals(AudienceSpec.ANY_SERVICE)
                || tailed.getServiceName().equals(audience.getServiceName()));
    }

    private void stopTail(Tail tail) {
        if (tails.remove(tail.id()) == null) {
            return;
        }
        Command stop = Command.newBuilder().setStopTail(StopTail.newBuilder().setTailId(tail.id())).build();
        for (Session session : sessions.values()) {
            if (session.audiences().stream().anyMatch(a -> covers(tail.audience(), a))) {
                session.send(stop);
            }
        }
    }

    private static Command startTail(Tail tail, Audience audience) {
        return Command.newBuilder().setStartTail(StartTail.newBuilder().setTailId(tail.id())
                .setAudience(audience).setSamplePerSecond(tail.perSecond())).build();
    }

    @Override
    public StreamObserver<TailRecord> sendTail(StreamObserver<SendTailResponse> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(TailRecord record) {
                Tail tail = tails.get(record.getTailId());
                if (tail != null) {
                    synchronized (tail) {
                        try {
                            tail.out().onNext(record);
                        } catch (RuntimeException gone) {
                            stopTail(tail);
                        }
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                // the client stopped sending; nothing to clean up
            }

            @Override
            public void onCompleted() {
                responses.onNext(SendTailResponse.getDefaultInstance());
                responses.onCompleted();
            }
        };
    }

    /** Stops every tail and session (the server is closing). */
    public void close() {
        new ArrayList<>(tails.values()).forEach(tail -> {
            tails.remove(tail.id());
            try {
                tail.out().onCompleted();
            } catch (RuntimeException gone) {
                // already gone
            }
        });
        List<Session> all = new ArrayList<>(sessions.values());
        sessions.clear();
        all.forEach(Session::close);
    }

    // --- checks

    private static String checkRegistration(String service, String sessionId) {
        if (service.isBlank() || service.contains("/")) {
            return "service_name '" + service + "' must be a name without '/'";
        }
        if (sessionId.isBlank()) {
            return "session_id is empty";
        }
        return null;
    }

    private static String checkAudience(Audience audience) {
        if (audience.getServiceName().isBlank() || audience.getServiceName().contains("/")) {
            return "audience service_name '" + audience.getServiceName() + "' must be a name without '/'";
        }
        if (audience.getTopic().isBlank()) {
            return "audience topic is empty";
        }
        if (audience.getDirection() != Direction.DIRECTION_PRODUCE
                && audience.getDirection() != Direction.DIRECTION_CONSUME) {
            return "audience direction must be DIRECTION_PRODUCE or DIRECTION_CONSUME";
        }
        return null;
    }

    static String direction(Audience audience) {
        return audience.getDirection() == Direction.DIRECTION_CONSUME ? AudienceSpec.CONSUME : AudienceSpec.PRODUCE;
    }

    public static String key(Audience audience) {
        return AudienceSpec.key(audience.getServiceName(), audience.getTopic(), direction(audience));
    }
}
