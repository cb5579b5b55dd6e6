package dev.sluice.http.internal;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writing answers: JSON bodies, errors in the API's shape, and completing a request from a future that finishes on
 * another thread (the Kafka clients' or a virtual thread) back on the request's event loop.
 */
final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private Replies() {
    }

    static void json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Json.bytes(body)));
    }

    static void noContent(RoutingContext ctx) {
        if (!ctx.response().ended() && !ctx.response().closed()) {
            ctx.response().setStatusCode(204).end();
        }
    }

    /** Answers with the error's status and JSON; never a stack trace to the client, always one in the log for 5xx. */
    static void error(RoutingContext ctx, Throwable failure) {
        ApiError error = ApiError.from(failure);
        if (error.status() >= 500) {
            LOG.warn("{} {} failed: {}", ctx.request().method(), ctx.request().path(), error.getMessage(), failure);
        }
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        var body = Json.object();
        var object = body.putObject("error").put("code", error.code()).put("message", error.getMessage());
        if (error.details() != null) {
            object.setAll(error.details());
        }
        if (error.status() == 429 || error.status() == 503) {
            ctx.response().putHeader("Retry-After", "1");
        }
        json(ctx, error.status(), body);
    }

    /** Runs {@code onSuccess} (or answers the failure) on the request's event loop once {@code stage} completes. */
    static <T> void when(RoutingContext ctx, CompletionStage<T> stage, Consumer<T> onSuccess) {
        Context context = Vertx.currentContext();
        stage.whenComplete((value, failure) -> context.runOnContext(ignored -> {
            if (failure != null) {
                error(ctx, failure);
                return;
            }
            try {
                onSuccess.accept(value);
            } catch (RuntimeException e) {
                error(ctx, e);
            }
        }));
    }
}
