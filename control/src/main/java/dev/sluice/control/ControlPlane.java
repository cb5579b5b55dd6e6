package dev.sluice.control;

import dev.sluice.control.internal.BearerTokenInterceptor;
import dev.sluice.control.internal.ControlPlaneService;
import dev.sluice.control.api.Audience;
import dev.sluice.control.api.Direction;
import dev.sluice.control.api.TailRecord;
import dev.sluice.pipelines.PipelineCatalog;
import io.grpc.stub.StreamObserver;
import io.grpc.ServerInterceptors;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpcio.server.GrpcIoServer;
import io.vertx.grpcio.server.GrpcIoServiceBridge;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The control plane: SDK clients register over gRPC, get their audiences' pipelines pushed (again on every
 * change of the catalog), report metrics and feed live tails. Served by the HTTP component on its own port, as gRPC
 * (HTTP/2) and gRPC-Web (HTTP/1.1, for browsers without a proxy).
 *
 * <pre>{@code
 * ControlPlane control = ControlPlane.create(catalog, registry, token);
 * router.route().order(-200).handler(ctx -> control.isGrpc(ctx.request()) ? control.handler(vertx) ...);
 * }</pre>
 */
public final class ControlPlane implements AutoCloseable {
    private final ControlPlaneService service;
    private final String authToken;
    private final ScheduledExecutorService timer;

    private ControlPlane(ControlPlaneService service, String authToken, ScheduledExecutorService timer) {
        this.service = service;
        this.authToken = authToken;
        this.timer = timer;
    }

    /**
     * @param catalog   the pipelines, as the HTTP component follows them
     * @param authToken the bearer token calls must carry, or null when auth is off
     */
    public static ControlPlane create(PipelineCatalog catalog, MeterRegistry registry, String authToken) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("sluice-control").factory());
        return new ControlPlane(new ControlPlaneService(catalog, registry, timer, System::currentTimeMillis),
                authToken, timer);
    }

    /** A handler for gRPC and gRPC-Web requests on {@code vertx}'s HTTP server. */
    public Handler<HttpServerRequest> handler(Vertx vertx) {
        GrpcIoServer server = GrpcIoServer.server(vertx, new GrpcServerOptions());
        GrpcIoServiceBridge.bridge(ServerInterceptors.intercept(service, new BearerTokenInterceptor(authToken)))
                .bind(server);
        return server;
    }

    /** An audience's key as the REST API and metrics show it: {@code service/topic/produce|consume}. */
    public static String audienceKey(Audience audience) {
        return ControlPlaneService.key(audience);
    }

    /** Whether a request is a gRPC or gRPC-Web call (by its content type). */
    public static boolean isGrpc(HttpServerRequest request) {
        String type = request.getHeader("content-type");
        return type != null && type.startsWith("application/grpc");
    }

    /** The SDK sessions connected now. */
    public java.util.List<dev.sluice.control.api.ClientSession> clients() {
        return service.clients();
    }

    /** The number of SDK sessions connected now. */
    public int sessions() {
        return service.sessionCount();
    }

    /** The summed SDK counters of an audience (records, bytes, errors, dropped, dead-lettered). */
    public long[] audienceTotals(String audienceKey) {
        return service.audienceTotals(audienceKey);
    }

    /**
     * Samples of an audience's records before and after the pipelines, from the SDK clients that run them, until
     * the returned action is run.
     */
    public Runnable tail(String service, String topic, boolean produce, int perSecond,
                         java.util.function.Consumer<TailRecord> sink) {
        Audience audience = Audience.newBuilder().setServiceName(service).setTopic(topic)
                .setDirection(produce ? Direction.DIRECTION_PRODUCE : Direction.DIRECTION_CONSUME).build();
        return service.isEmpty() ? () -> { } : this.service.openTail(audience, perSecond, new StreamObserver<>() {
            @Override
            public void onNext(TailRecord record) {
                sink.accept(record);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    @Override
    public void close() {
        service.close();
        timer.shutdownNow();
    }
}
