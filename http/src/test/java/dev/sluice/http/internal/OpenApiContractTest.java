package dev.sluice.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.broker.BrokerConfig;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.http.HttpConfig;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document names exactly the routes the server has: none missing, none invented. */
class OpenApiContractTest {
    @TempDir
    Path dir;

    @Test
    void theDocumentDescribesEveryRouteAndOnlyThose() throws Exception {
        try (LogManager logs = LogManager.open(dir, LogConfig.defaults());
             KafkaBroker broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0),
                     logs.defaults()), logs);
             RestServer server = RestServer.start(HttpConfig.of(new InetSocketAddress("127.0.0.1", 0),
                     broker.bootstrapServers()))) {
            Set<String> routes = new TreeSet<>();
            for (Route route : server.router().getRoutes()) {
                if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                    continue;
                }
                String path = route.getPath().replaceAll(":([a-zA-Z]+)", "{$1}");
                for (HttpMethod method : route.methods()) {
                    routes.add(method.name() + " " + path);
                }
            }
            Set<String> documented = new TreeSet<>();
            JsonNode doc = Json.MAPPER.readTree(RestServer.openApiJson());
            doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
                if (!operation.getKey().equals("parameters")) {
                    documented.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }));
            assertThat(documented).isEqualTo(routes);
            doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
                if (!operation.getKey().equals("parameters")) {
                    assertThat(operation.getValue().path("responses").size())
                            .as("responses of %s %s", operation.getKey(), path.getKey()).isPositive();
                }
            }));
        }
    }
}
