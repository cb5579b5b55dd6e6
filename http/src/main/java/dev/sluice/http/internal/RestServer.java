package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.http.HttpConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import dev.sluice.control.ControlPlane;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener: Vert.x web with the REST API, the HTTP sources, health, the OpenAPI document and the Prometheus
 * metrics on one port. Built and started by {@link dev.sluice.http.SluiceHttp}.
 */
public final class RestServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
    static final String OPENAPI_RESOURCE = "/dev/sluice/http/openapi.yaml";
    /** Where the console module puts the built console, on the classpath. */
    static final String CONSOLE_WEBROOT = "dev/sluice/console/webroot";

    private final Vertx vertx;
    private final HttpServer server;
    private final KafkaGateway kafka;
    private final Router router;
    private final String host;
    private final HttpMetrics metrics;
    private final boolean ownsRegistry;
    private final SinkStore sinks;
    private final PipelineStore pipelines;
    private final ServiceStore services;
    private final RunStore runs;
    private final ControlPlane control;

    private RestServer(Vertx vertx, HttpServer server, KafkaGateway kafka, Router router, String host,
                       HttpMetrics metrics, boolean ownsRegistry, SinkStore sinks,
                       PipelineStore pipelines, ServiceStore services, RunStore runs, ControlPlane control) {
        this.sinks = sinks;
        this.pipelines = pipelines;
        this.services = services;
        this.runs = runs;
        this.control = control;
        this.host = host;
        this.metrics = metrics;
        this.ownsRegistry = ownsRegistry;
        this.vertx = vertx;
        this.server = server;
        this.kafka = kafka;
        this.router = router;
    }

    /**
     * Loads the sources, binds the listener and returns once it accepts connections; its own Prometheus registry
     * holds the HTTP meters and is served at {@code /metrics}.
     */
    public static RestServer start(HttpConfig config) {
        return start(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true);
    }

    /** As {@link #start(HttpConfig)}, with the meters in {@code registry}, which stays its owner's. */
    public static RestServer start(HttpConfig config, MeterRegistry registry) {
        return start(config, registry, false);
    }

    private static RestServer start(HttpConfig config, MeterRegistry registry, boolean ownsRegistry) {
        HttpMetrics metrics = new HttpMetrics(registry);
        KafkaGateway kafka;
        try {
            // The producer's buffer holds at least what the limiter admits, so a send never blocks on a full buffer.
            kafka = new KafkaGateway(config.bootstrapServers(), config.authToken(),
                    config.totalInFlightBytes() + 32L * 1024 * 1024);
        } catch (RuntimeException e) {
            if (ownsRegistry) {
                registry.close();
            }
            throw e;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
        SinkStore sinks = new SinkStore(kafka);
        PipelineStore pipelines = new PipelineStore(kafka);
        ServiceStore services = new ServiceStore(kafka);
        Clock clock = Clock.systemUTC();
        RunStore runs = new RunStore(kafka, clock);
        ControlPlane control = null;
        try {
            SourceStore sources = new SourceStore(kafka);
            sources.load();
            sinks.load();
            pipelines.load();
            services.load();
            runs.load();
            control = ControlPlane.create(pipelines.catalog(), metrics.registry(), config.authToken());
            Router router = router(vertx, config, clock, kafka, sources, sinks, pipelines, services, runs, control,
                    metrics);
            // gRPC and gRPC-Web calls go to the control plane before the router (whose body handler would read
            // their streams); everything else is REST.
            Handler<HttpServerRequest> grpc = control.handler(vertx);
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                            .setHost(config.listen().getHostString()).setPort(config.listen().getPort())
                            // No compression: JSON answers here are small, and the compressor sits in every
                            // response's path (measured: bench/http-ingest.sh).
                            .setCompressionSupported(false))
                    .requestHandler(request -> {
                        if (ControlPlane.isGrpc(request)) {
                            grpc.handle(request);
                        } else {
                            router.handle(request);
                        }
                    }).listen().toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            LOG.info("HTTP listener on {}:{}, {} sources{}", config.listen().getHostString(), server.actualPort(),
                    sources.all().size(), config.authToken() == null ? "" : ", bearer token required");
            String host = config.listen().getAddress() != null && config.listen().getAddress().isAnyLocalAddress()
                    ? "127.0.0.1" : config.listen().getHostString();
            return new RestServer(vertx, server, kafka, router, host, metrics, ownsRegistry, sinks, pipelines, services,
                    runs, control);
        } catch (Exception e) {
            if (control != null) {
                control.close();
            }
            runs.close();
            services.close();
            pipelines.close();
            sinks.close();
            vertx.close();
            kafka.close();
            metrics.close();
            if (ownsRegistry) {
                registry.close();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("HTTP component failed to start: " + e.getMessage(), e);
        }
    }

    static Router router(Vertx vertx, HttpConfig config, Clock clock, KafkaGateway kafka, SourceStore sources,
                         SinkStore sinks, PipelineStore pipelines, ServiceStore services, RunStore runs,
                         ControlPlane control, HttpMetrics metrics) {
        Router router = Router.router(vertx);
        // First of all, before the OpenAPI route (order -1): every request is timed, whatever answers it.
        router.route().order(-100).handler(metrics::handle);
        // Service packages are larger than any other body; the general body handler below skips a request whose
        // body this one has read.
        router.post("/v1/services").handler(BodyHandler.create(false).setBodyLimit(ServiceRoutes.MAX_PACKAGE_BYTES));
        router.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
        if (config.authToken() != null) {
            byte[] expected = ("Bearer " + config.authToken()).getBytes(StandardCharsets.UTF_8);
            router.route("/v1/*").handler(ctx -> bearer(ctx, expected));
            router.route("/metrics").handler(ctx -> bearer(ctx, expected));
        }
        router.get("/metrics").handler(metrics::scrape);
        Buffer openApi = Buffer.buffer(openApiJson());
        router.get("/v1/openapi.json").order(-1).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json").end(openApi));
        // Routes are matched in order, and ingestion is the busiest, so it and health come first.
        InFlightLimiter limiter = new InFlightLimiter(config.sourceInFlightBytes(), config.totalInFlightBytes());
        new IngestRoute(kafka, sources, limiter, config.localBroker()).register(router);
        byte[] ok = Json.bytes(Json.object().put("status", "ok"));
        // POST too, for clients that can only POST (and as the benchmark's ceiling: the same request, no work).
        router.route("/health").method(io.vertx.core.http.HttpMethod.GET).method(io.vertx.core.http.HttpMethod.POST)
                .handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(ok)));
        router.get("/health/ready").handler(ctx -> Replies.when(ctx, kafka.admin().describeCluster().clusterId()
                .toCompletionStage(), clusterId -> {
                    if (!sources.loaded()) {
                        throw new ApiError(503, "starting", "sources are still loading");
                    }
                    Replies.json(ctx, 200, Json.object().put("status", "ok").put("clusterId", clusterId));
                }));
        new TopicRoutes(kafka).register(router);
        new RecordRoutes(kafka, limiter).register(router);
        new GroupRoutes(kafka).register(router);
        new SourceRoutes(kafka, sources).register(router);
        new SinkRoutes(kafka, sinks).register(router);
        new PipelineRoutes(kafka, pipelines).register(router);
        new ControlRoutes(kafka, pipelines, control).register(router);
        new ServiceRoutes(kafka, services, config.servicesSecrets(), clock).register(router);
        new TriggerRoutes(kafka, services).register(router);
        new EventRoutes(kafka, services, clock).register(router);
        new RunRoutes(kafka, runs).register(router);
        new StatsRoute(metrics.registry()).register(router);
        new ConnectionRoutes(config.localBroker() == null ? null : config.localBroker()::connections)
                .register(router);
        // The console: its page at "/" and its files (named by content hash) under /assets, from the jar. It routes
        // with the URL's fragment (#/topics), so no other path is the console's and unknown paths stay 404.
        StaticHandler console = StaticHandler.create(CONSOLE_WEBROOT).setCachingEnabled(true)
                .setIndexPage("index.html");
        router.get("/").handler(console);
        router.get("/assets/:file").handler(console);

        router.route().failureHandler(ctx -> Replies.error(ctx, ctx.failure() != null ? ctx.failure()
                : statusError(ctx.statusCode(), ctx)));
        for (int status : new int[] {404, 405, 413, 415, 500}) {
            router.errorHandler(status, ctx -> Replies.error(ctx, ctx.failure() != null
                    && !(ctx.failure() instanceof io.vertx.ext.web.handler.HttpException)
                    ? ctx.failure() : statusError(status, ctx)));
        }
        metrics.templatesFrom(router);
        return router;
    }

    private static void bearer(RoutingContext ctx, byte[] expected) {
        if (ctx.request().path().equals("/v1/openapi.json")) {
            ctx.next();
            return;
        }
        String given = ctx.request().getHeader("Authorization");
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            Replies.error(ctx, new ApiError(401, "unauthorized", given == null
                    ? "this API needs 'Authorization: Bearer <token>'" : "the bearer token is not valid"));
            return;
        }
        ctx.next();
    }

    private static ApiError statusError(int status, RoutingContext ctx) {
        return switch (status) {
            case 404 -> new ApiError(404, "not_found", "no route for " + ctx.request().method() + " "
                    + ctx.request().path());
            case 405 -> new ApiError(405, "method_not_allowed", ctx.request().method() + " is not allowed on "
                    + ctx.request().path());
            case 413 -> new ApiError(413, "too_large", "the body is larger than the limit");
            case 415 -> new ApiError(415, "unsupported_media_type", "unsupported content type");
            default -> new ApiError(status < 400 ? 500 : status, status >= 500 || status < 400 ? "internal"
                    : "bad_request", status >= 500 || status < 400 ? "internal error" : "bad request");
        };
    }

    /** The OpenAPI document, kept as YAML in the jar and served as JSON. */
    static byte[] openApiJson() {
        try (InputStream in = RestServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(in);
            return Json.MAPPER.writeValueAsBytes(doc);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE + " is missing or broken", e);
        }
    }

    public InetSocketAddress boundAddress() {
        return new InetSocketAddress(host, server.actualPort());
    }

    /** The routes as registered, for checking the OpenAPI document against them. */
    Router router() {
        return router;
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("HTTP listener did not close cleanly: {}", e.toString());
        }
        control.close();
        runs.close();
        services.close();
        pipelines.close();
        sinks.close();
        kafka.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not stop cleanly: {}", e.toString());
        }
        metrics.close();
        if (ownsRegistry) {
            metrics.registry().close();
        }
    }
}
