package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a token set, the API needs it as a bearer token; health, the OpenAPI document and ingestion stay open. */
class AuthTest {
    private static final String TOKEN = "s3cret-token";

    @TempDir
    Path dir;

    private HttpFixture sluice;

    @BeforeEach
    void start() throws Exception {
        sluice = new HttpFixture(dir, TOKEN, UnaryOperator.identity());
    }

    @AfterEach
    void stop() {
        sluice.close();
    }

    private HttpFixture.Reply getWith(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sluice.url() + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return sluice.send(request, false);
    }

    @Test
    void theApiNeedsTheBearerToken() {
        HttpFixture.Reply missing = getWith("/v1/topics", null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.errorCode()).isEqualTo("unauthorized");
        assertThat(missing.response().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(getWith("/v1/topics", "Bearer wrong").status()).isEqualTo(401);
        assertThat(getWith("/v1/topics", "Bearer " + TOKEN + "x").status()).isEqualTo(401);
        assertThat(getWith("/v1/topics", TOKEN).status()).isEqualTo(401);
        assertThat(getWith("/v1/topics", "Bearer " + TOKEN).status()).isEqualTo(200);
        assertThat(getWith("/v1/sources", null).status()).isEqualTo(401);
        assertThat(getWith("/v1/groups", null).status()).isEqualTo(401);
    }

    @Test
    void healthOpenApiAndIngestionNeedNoToken() {
        assertThat(getWith("/health", null).status()).isEqualTo(200);
        assertThat(getWith("/health/ready", null).status()).isEqualTo(200);
        assertThat(getWith("/v1/openapi.json", null).status()).isEqualTo(200);
        String path = sluice.post("/v1/sources", "{\"name\": \"open\", \"topic\": \"in\"}").json().path("url")
                .asText();
        HttpFixture.Reply ingested = sluice.send(HttpRequest.newBuilder(URI.create(sluice.url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")), false);
        assertThat(ingested.status()).isEqualTo(200);
    }

    @Test
    void theHttpComponentWritesThroughTheBrokersSasl() {
        // The broker requires SASL here: the REST API's own clients log in as the superuser with the token.
        assertThat(sluice.post("/v1/topics", "{\"name\": \"secured\"}").status()).isEqualTo(201);
        assertThat(sluice.post("/v1/topics/secured/records", "{\"records\": [{\"value\": 1}]}").status())
                .isEqualTo(200);
        assertThat(sluice.get("/v1/topics/secured/records").json().path("records")).hasSize(1);
    }
}
