package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes accepted but not yet acknowledged are bounded: with a request stuck in flight (the broker stopped answering),
 * the same source gets 429 and every source 503, both with Retry-After, instead of queueing.
 */
class BackpressureTest {
    @TempDir
    Path dir;

    private HttpFixture sluice;

    @BeforeEach
    void start() throws Exception {
        // One byte per source and 100 in total: any request waiting for its ack fills its source's share. Through
        // the Kafka producer, whose requests a stopped listener leaves unanswered (a local append never stalls so).
        sluice = new HttpFixture(dir, null, config -> config.withLimits(64 * 1024, 1, 100).withLocalBroker(null));
    }

    @AfterEach
    void stop() {
        sluice.close();
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(sluice.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void aSourceOverItsInFlightBytesGets429AndAllSourcesOverTheTotalGet503() {
        String first = sluice.post("/v1/sources", "{\"name\": \"first\", \"topic\": \"t1\"}").json().path("url")
                .asText();
        String second = sluice.post("/v1/sources", "{\"name\": \"second\", \"topic\": \"t2\"}").json().path("url")
                .asText();
        // Both topics known and written once, so later sends go straight to the producer.
        assertThat(sluice.send(post(first, "{\"n\": 0}"), false).status()).isEqualTo(200);
        assertThat(sluice.send(post(second, "{\"n\": 0}"), false).status()).isEqualTo(200);

        sluice.stopBroker();
        String big = "{\"pad\": \"" + "x".repeat(120) + "\"}";
        CompletableFuture<HttpResponse<String>> stuck = sluice.client.sendAsync(post(first, big).build(),
                HttpResponse.BodyHandlers.ofString());
        // The stuck request holds its bytes until the producer gives up on it; meanwhile:
        await().untilAsserted(() -> {
            HttpFixture.Reply sameSource = sluice.send(post(first, "{\"n\": 1}"), false);
            assertThat(sameSource.status()).isEqualTo(429);
            assertThat(sameSource.errorCode()).isEqualTo("too_many_requests");
            assertThat(sameSource.response().headers().firstValue("Retry-After")).hasValue("1");
        });
        HttpFixture.Reply otherSource = sluice.send(post(second, "{\"n\": 1}"), false);
        assertThat(otherSource.status()).isEqualTo(503);
        assertThat(otherSource.errorCode()).isEqualTo("overloaded");
        assertThat(otherSource.response().headers().firstValue("Retry-After")).hasValue("1");
        assertThat(stuck).isNotDone();
    }
}
