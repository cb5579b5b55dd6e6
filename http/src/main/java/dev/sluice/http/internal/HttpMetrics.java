package dev.sluice.http.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every HTTP request as {@value #REQUESTS} with tags {@code method}, {@code route} and {@code status}, and
 * serves the registry at {@code GET /metrics} in the Prometheus text format.
 *
 * <p>{@code route} is the template of the route that matched ({@code /v1/topics/:topic}), never the raw path, so the
 * series stay few and a source's secret never becomes a label; a path no route has is {@code unmatched}. The template
 * is found by matching the path against the router's templates when the response ends, which does not depend on
 * which handler (route, failure or error handler) ended it.
 *
 * <p>Thread-safe.
 */
final class HttpMetrics implements AutoCloseable {
    static final String REQUESTS = "sluice.http.requests";
    static final String UNMATCHED = "unmatched";
    /** Prometheus text exposition format 0.0.4, what every Prometheus server scrapes. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

    /** A route's path template split at slashes; a segment starting with ':' matches any one segment. */
    private record Template(String path, String[] segments, Set<HttpMethod> methods, int literals) {
        boolean matches(String[] request) {
            if (request.length != segments.length) {
                return false;
            }
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.startsWith(":") ? request[i].isEmpty() : !segment.equals(request[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Key(String method, String route, int status) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
    private volatile List<Template> templates = List.of();

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    /** The first handler of every request: times it until its response ends. */
    void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        ctx.addEndHandler(ignored -> record(ctx, System.nanoTime() - started));
        ctx.next();
    }

    private void record(RoutingContext ctx, long nanos) {
        HttpMethod method = ctx.request().method();
        String methodTag = KNOWN_METHODS.contains(method) ? method.name() : "other";
        // The route that answered, when it is a real one (has methods and a path); a failure or error handler
        // answered otherwise, and the path is matched against the templates.
        Route current = ctx.currentRoute();
        String template = current != null && current.getPath() != null && current.methods() != null
                && !current.methods().isEmpty() ? current.getPath() : route(method, ctx.normalizedPath());
        Key key = new Key(methodTag, template, ctx.response().getStatusCode());
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder(REQUESTS)
                    .tags(Tags.of("method", k.method(), "route", k.route(), "status", Integer.toString(k.status())))
                    .description("HTTP requests by method, route template and status, timed until the response ends")
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The template of the route for {@code path}: one allowing the method first, else one for another method. */
    String route(HttpMethod method, String path) {
        String[] segments = split(path);
        String otherMethod = null;
        for (Template template : templates) {
            if (template.matches(segments)) {
                if (template.methods().contains(method)) {
                    return template.path();
                }
                if (otherMethod == null) {
                    otherMethod = template.path();
                }
            }
        }
        return otherMethod != null ? otherMethod : UNMATCHED;
    }

    /** Learns the route templates once every route is registered; routes without a method are filters, skipped. */
    void templatesFrom(Router router) {
        List<Template> found = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            String[] segments = split(path);
            int literals = 0;
            for (String segment : segments) {
                literals += segment.startsWith(":") ? 0 : 1;
            }
            found.add(new Template(path, segments, Set.copyOf(route.methods()), literals));
        }
        // Literal segments win over parameters, as a reader of the routes would expect.
        found.sort(Comparator.comparingInt(Template::literals).reversed());
        templates = List.copyOf(found);
    }

    private static String[] split(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.split("/", -1);
    }

    /** {@code GET /metrics}: the registry in Prometheus text, or 404 when the registry is not a Prometheus one. */
    void scrape(RoutingContext ctx) {
        if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
            Replies.error(ctx, new ApiError(404, "not_found", "metrics are not exported in the Prometheus format"));
            return;
        }
        // Rendering many series takes a while: off the event loop.
        ctx.vertx().executeBlocking(prometheus::scrape, false).onComplete(scraped -> {
            if (scraped.failed()) {
                Replies.error(ctx, scraped.cause());
                return;
            }
            if (!ctx.response().ended() && !ctx.response().closed()) {
                ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(scraped.result());
            }
        });
    }

    /** Removes the request timers from the registry. */
    @Override
    public void close() {
        timers.values().forEach(registry::remove);
        timers.clear();
    }
}
