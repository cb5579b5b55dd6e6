package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: HTTP requests by route template and status, and whatever else the registry holds. */
class MetricsTest {
    private static final String TOKEN = "metrics-token";

    @TempDir
    Path dir;

    @Test
    void requestsAreCountedByRouteTemplateAndStatusNeverByRawPath() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        try (HttpFixture sluice = new HttpFixture(dir, null, UnaryOperator.identity(), registry)) {
            assertThat(sluice.get("/v1/topics/no-such-topic").status()).isEqualTo(404);
            assertThat(sluice.post("/v1/topics", "{\"name\": \"orders\", \"partitions\": 1}").status())
                    .isEqualTo(201);
            assertThat(sluice.get("/v1/topics/orders").status()).isEqualTo(200);
            assertThat(sluice.post("/ingest/no-such-source/very-secret-value", "{}").status()).isEqualTo(404);
            assertThat(sluice.get("/not/a/route").status()).isEqualTo(404);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String text = scrape(sluice);
                assertThat(text)
                        .contains(series("GET", "/v1/topics/:topic", 404))
                        .contains(series("GET", "/v1/topics/:topic", 200))
                        .contains(series("POST", "/v1/topics", 201))
                        .contains(series("POST", "/ingest/:source/:secret", 404))
                        .contains(series("GET", "unmatched", 404))
                        .contains("jvm_memory_used_bytes{")
                        .doesNotContain("no-such-topic")
                        .doesNotContain("very-secret-value");
            });
            HttpFixture.Reply reply = sluice.get("/metrics");
            assertThat(reply.response().headers().firstValue("Content-Type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
        }
        registry.close();
    }

    @Test
    void withoutARegistryTheComponentServesItsOwnHttpMeters() throws Exception {
        try (HttpFixture sluice = new HttpFixture(dir)) {
            sluice.get("/health");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(scrape(sluice)).contains(series("GET", "/health", 200)));
        }
    }

    @Test
    void aRegistryThatIsNotPrometheusIsNotServed() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HttpFixture sluice = new HttpFixture(dir, null, UnaryOperator.identity(), registry)) {
            HttpFixture.Reply reply = sluice.get("/metrics");
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.errorCode()).isEqualTo("not_found");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(registry.find("sluice.http.requests").tag("route", "/metrics").tag("status", "404")
                            .timer()).isNotNull());
        }
    }

    @Test
    void withAuthTheMetricsNeedTheBearerToken() throws Exception {
        try (HttpFixture sluice = new HttpFixture(dir, TOKEN, UnaryOperator.identity(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            HttpFixture.Reply anonymous = sluice.send(HttpRequest.newBuilder(URI.create(sluice.url() + "/metrics"))
                    .GET(), false);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.errorCode()).isEqualTo("unauthorized");
            HttpFixture.Reply authorized = sluice.get("/metrics");
            assertThat(authorized.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(scrape(sluice)).contains(series("GET", "/metrics", 401)));
        }
    }

    private static String scrape(HttpFixture sluice) {
        HttpFixture.Reply reply = sluice.get("/metrics");
        assertThat(reply.status()).isEqualTo(200);
        return reply.text();
    }

    private static String series(String method, String route, int status) {
        return "sluice_http_requests_seconds_count{method=\"" + method + "\",route=\"" + route + "\",status=\""
                + status + "\"}";
    }
}
