package dev.sluice.http.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.broker.KafkaClientConnection;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /v1/connections}: the Kafka connections open on the broker of this node, with what each client said
 * (client id, library) and did (topics produced to and fetched from, groups). Kafka has no API to list connections,
 * so only the node that runs the broker can answer; any other answers 503.
 */
final class ConnectionRoutes {
    private final Supplier<List<KafkaClientConnection>> connections;

    /** @param connections the broker's connections; null when this node runs no broker */
    ConnectionRoutes(Supplier<List<KafkaClientConnection>> connections) {
        this.connections = connections;
    }

    void register(Router router) {
        router.get("/v1/connections").handler(this::list);
    }

    private void list(RoutingContext ctx) {
        if (connections == null) {
            throw new ApiError(503, "no_broker", "this node runs no Kafka broker; ask the HTTP API of the node that"
                    + " runs it for its connections");
        }
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("connections");
        for (KafkaClientConnection connection : connections.get()) {
            ObjectNode item = list.addObject()
                    .put("id", connection.id())
                    .put("address", connection.address())
                    .put("clientId", connection.clientId())
                    .put("softwareName", connection.softwareName())
                    .put("softwareVersion", connection.softwareVersion())
                    .put("principal", connection.principal())
                    .put("connectedAt", connection.connectedAt().toString())
                    .put("lastRequestAt", text(connection.lastRequestAt()))
                    .put("requests", connection.requests());
            names(item.putArray("producesTo"), connection.producesTo());
            names(item.putArray("fetchesFrom"), connection.fetchesFrom());
            names(item.putArray("groups"), connection.groups());
        }
        Replies.json(ctx, 200, body);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static void names(ArrayNode array, Collection<String> names) {
        names.stream().sorted().forEach(array::add);
    }
}
