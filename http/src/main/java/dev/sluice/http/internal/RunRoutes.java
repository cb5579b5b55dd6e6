package dev.sluice.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.http.internal.RunStore.Summary;
import dev.sluice.services.CapturedOutput;
import dev.sluice.services.Run;
import dev.sluice.services.RunAttempt;
import dev.sluice.services.RunRecord;
import dev.sluice.services.RunStatus;
import dev.sluice.services.StepResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * {@code /v1/runs}: the runs the services engines record in {@code _sluice_runs}. Lists come from the summaries kept
 * in memory; a run's whole record (attempts, steps, logs, events) is read back from the topic.
 */
final class RunRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final KafkaGateway kafka;
    private final RunStore store;

    RunRoutes(KafkaGateway kafka, RunStore store) {
        this.kafka = kafka;
        this.store = store;
    }

    void register(Router router) {
        router.get("/v1/runs").handler(this::list);
        router.get("/v1/runs/:id").handler(ctx -> Replies.when(ctx, kafka.blocking(() -> read(ctx)),
                record -> ctx.response().putHeader("Content-Type", "application/json")
                        .end(Buffer.buffer(json(record)))));
        router.get("/v1/runs/:id/logs").handler(ctx -> Replies.when(ctx, kafka.blocking(() -> read(ctx)),
                record -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end(logs(record.run()))));
    }

    /** Newest first by the time they were queued, filtered by service, status and trigger. */
    private void list(RoutingContext ctx) {
        String service = ctx.request().getParam("service");
        String trigger = ctx.request().getParam("trigger");
        String statusParam = ctx.request().getParam("status");
        RunStatus status;
        try {
            status = statusParam == null ? null : RunStatus.fromWireName(statusParam);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        int limit = limit(ctx.request().getParam("limit"));
        Predicate<Summary> wanted = run -> (service == null || service.equals(run.service()))
                && (trigger == null || trigger.equals(run.trigger())) && (status == null || status == run.status());
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("runs");
        store.all().stream().filter(wanted)
                .sorted(Comparator.comparing(Summary::queued, Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(Summary::id))
                .limit(limit).forEach(run -> list.add(render(run)));
        Replies.json(ctx, 200, body);
    }

    private static int limit(String param) {
        if (param == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(param);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + param + "'");
    }

    static ObjectNode render(Summary run) {
        return Json.object().put("id", run.id()).put("service", run.service()).put("version", run.version())
                .put("trigger", run.trigger()).put("status", run.status().wireName())
                .put("queued", text(run.queued())).put("started", text(run.started()))
                .put("finished", text(run.finished())).put("error", run.error()).put("attempts", run.attempts())
                .put("correlationId", run.correlationId()).put("node", run.node());
    }

    private static String text(Instant time) {
        return time == null ? null : time.toString();
    }

    private RunRecord read(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        return store.read(id).orElseThrow(() -> ApiError.notFound("run_not_found", "run '" + id
                + "' does not exist (runs are kept for a week)"));
    }

    private static byte[] json(RunRecord record) {
        try {
            return RunRecord.JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run always writes", e);
        }
    }

    /**
     * The run's output as text: per attempt and step a header line such as
     * {@code == attempt 1, step 0 (hello.sh): failed, exit 1 ==}, then its stdout and stderr.
     */
    static String logs(Run run) {
        StringBuilder text = new StringBuilder();
        if (run.attempts().isEmpty()) {
            text.append("== run ").append(run.id()).append(": ").append(run.status().wireName())
                    .append(run.error() == null ? ", no attempts yet" : ": " + run.error()).append(" ==\n");
        }
        for (RunAttempt attempt : run.attempts()) {
            if (attempt.steps().isEmpty()) {
                text.append("== attempt ").append(attempt.number()).append(": ").append(attempt.status().wireName())
                        .append(attempt.error() == null ? "" : ": " + attempt.error()).append(" ==\n");
            }
            for (int i = 0; i < attempt.steps().size(); i++) {
                StepResult step = attempt.steps().get(i);
                text.append("== attempt ").append(attempt.number()).append(", step ").append(i).append(" (")
                        .append(step.script()).append("): ").append(step.status().wireName()).append(", exit ")
                        .append(step.exitCode()).append(step.error() == null ? "" : ": " + step.error())
                        .append(" ==\n");
                output(text, "stdout", step.stdout());
                output(text, "stderr", step.stderr());
            }
        }
        return text.toString();
    }

    private static void output(StringBuilder text, String stream, CapturedOutput output) {
        text.append("-- ").append(stream).append(" --\n");
        String captured = Objects.requireNonNullElse(output, CapturedOutput.EMPTY).text();
        text.append(captured);
        if (!captured.isEmpty() && !captured.endsWith("\n")) {
            text.append('\n');
        }
    }
}
