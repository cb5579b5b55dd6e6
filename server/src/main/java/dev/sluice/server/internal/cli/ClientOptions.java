package dev.sluice.server.internal.cli;

import dev.sluice.server.internal.ConfigException;
import dev.sluice.server.internal.ProcessContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --url} and {@code --token}, shared by every command that talks to a running Sluice.
 *
 * <p>Fields are filled in by picocli, hence not final.
 */
public final class ClientOptions {
    static final String URL_ENV = "SLUICE_URL";
    static final String TOKEN_ENV = "SLUICE_AUTH_TOKEN";
    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--url", paramLabel = "URL",
            description = "Sluice's HTTP address (default: env SLUICE_URL, else " + DEFAULT_URL + ").")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token, sent as a bearer token (default: env SLUICE_AUTH_TOKEN).")
    String token;

    /**
     * A client for the Sluice these options, or the environment, point at.
     *
     * @throws ConfigException (exit 2) when the URL is not an http(s) address
     */
    public RestClient connect(ProcessContext process) {
        return new RestClient(baseUrl(process), token(process));
    }

    URI baseUrl(ProcessContext process) {
        String raw = firstSet(url, process.env().get(URL_ENV)).orElse(DEFAULT_URL);
        String source = url != null ? "--url" : process.env().containsKey(URL_ENV) ? "env " + URL_ENV : "default";
        try {
            URI uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(raw, "expected http://HOST:PORT or https://HOST:PORT");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("bad Sluice URL '" + raw + "' (" + source + "): expected http://HOST:PORT, "
                    + "e.g. " + DEFAULT_URL, e);
        }
    }

    Optional<String> token(ProcessContext process) {
        return firstSet(token, process.env().get(TOKEN_ENV));
    }

    // An empty variable counts as unset, as in the server's own configuration (container tools write VAR=).
    private static Optional<String> firstSet(String flag, String env) {
        if (flag != null && !flag.isEmpty()) {
            return Optional.of(flag);
        }
        return Optional.ofNullable(env).filter(value -> !value.isEmpty());
    }
}
