package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.internal.BuildInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * A small JSON client for Sluice's REST API ({@code http/src/main/resources/dev/sluice/http/openapi.yaml}). Error
 * answers become {@link ApiError}s carrying the server's message; a server that cannot be reached becomes a
 * {@link CommandFailure} naming the URL, so every command fails with one readable line.
 *
 * <p>Thread-safe; close it to drop connections, including a tail still streaming.
 */
public final class RestClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    // Long enough for a produce of a full batch on a busy disk; a tail has no timeout at all.
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final URI baseUrl;
    private final Optional<String> token;
    private final HttpClient http;

    public RestClient(URI baseUrl, Optional<String> token) {
        this.baseUrl = baseUrl;
        this.token = token;
        // HTTP/1.1: the JDK would otherwise try an h2c upgrade on every plain-HTTP connection, and an event
        // stream is simplest to reason about as one chunked HTTP/1.1 response.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /** {@code http://host:port}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl.toString();
    }

    /** Encodes one path segment, e.g. a group name with a slash or a space in it. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public JsonNode get(String path) {
        return send(request(path).GET());
    }

    /** The resource at {@code path}, or empty when the server answers 404. */
    public Optional<JsonNode> find(String path) {
        try {
            return Optional.of(get(path));
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A resource that is text, such as a run's logs, as it is. */
    public String text(String path) {
        return exchange(authorized(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "text/plain")).GET()).body();
    }

    public JsonNode post(String path, JsonNode body) {
        return send(request(path).POST(json(body)).header("Content-Type", "application/json"));
    }

    /** A POST without a body, for actions such as {@code /rotate-secret}. */
    public JsonNode post(String path) {
        return send(request(path).POST(BodyPublishers.noBody()));
    }

    /** A POST of raw bytes, such as a WebAssembly module, with their content type. */
    public JsonNode post(String path, byte[] body, String contentType) {
        return send(request(path).POST(BodyPublishers.ofByteArray(body)).header("Content-Type", contentType));
    }

    public JsonNode put(String path, JsonNode body) {
        return send(request(path).PUT(json(body)).header("Content-Type", "application/json"));
    }

    public JsonNode patch(String path, JsonNode body) {
        return send(request(path).method("PATCH", json(body)).header("Content-Type", "application/json"));
    }

    public void delete(String path) {
        send(request(path).DELETE());
    }

    /**
     * Opens a {@code text/event-stream} at {@code path} without waiting for it: a server may hold back the
     * response headers until the first event, and the caller has other reading to do meanwhile.
     */
    public CompletableFuture<Stream<String>> openEventStream(String path) {
        HttpRequest request = authorized(HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream"))
                .GET().build();
        return http.sendAsync(request, BodyHandlers.ofLines()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                String body;
                try (Stream<String> lines = response.body()) {
                    body = String.join("\n", lines.toList());
                }
                throw error(response.statusCode(), body);
            }
            return response.body();
        });
    }

    /** Waits for a stream {@link #openEventStream} opened, turning its failure into the command's. */
    public Stream<String> await(CompletableFuture<Stream<String>> stream) throws InterruptedException {
        try {
            return stream.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    @Override
    public void close() {
        // shutdownNow, not close: close would wait for a tail that never ends.
        http.shutdownNow();
    }

    private HttpRequest.Builder request(String path) {
        return authorized(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json"));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        // Lets the server's access log tell the CLI from other clients.
        request.header("User-Agent", "sluice-cli/" + BuildInfo.version());
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        return request;
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<String> response = exchange(request);
        if (response.body().isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new CommandFailure("Sluice at " + baseUrl + " answered with something that is not JSON: "
                    + firstLine(response.body()));
        }
    }

    /** The response to a request that succeeded (2xx); anything else is thrown as the command's failure. */
    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw error(response.statusCode(), response.body());
        }
        return response;
    }

    private static HttpRequest.BodyPublisher json(JsonNode body) {
        try {
            return BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The error shape {@code {"error":{"code","message"}}}, or the start of whatever else the body holds. */
    static ApiError error(int status, String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.hasNonNull("message")) {
                return new ApiError(status, error.path("code").asText(""), error.get("message").asText());
            }
        } catch (JsonProcessingException e) {
            // Not JSON: a proxy's HTML page, say. Fall through and show its first line.
        }
        return new ApiError(status, "", body.isBlank() ? "request failed" : firstLine(body));
    }

    private CommandFailure failure(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof CommandFailure failure) {
            return failure;
        }
        if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                || cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
            return new CommandFailure("cannot reach Sluice at " + baseUrl + ": " + reason(cause), cause);
        }
        return new CommandFailure("request to Sluice at " + baseUrl + " failed: " + reason(cause), cause);
    }

    // The JDK's HttpClient often throws a bare ConnectException, the actual cause (an unknown host, say) nested
    // inside it without any message; so the chain is searched for a known cause before any message.
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "connection timed out";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
