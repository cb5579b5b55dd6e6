package dev.sluice.pipelines.internal.detective;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipelines.internal.Matches;
import dev.sluice.pipelines.internal.Payload;
import dev.sluice.pipelines.internal.Step;
import dev.sluice.pipelines.internal.StepContext;
import dev.sluice.pipelines.internal.StepResult;
import dev.sluice.pipelines.internal.json.JsonPath;
import dev.sluice.pipelines.internal.json.JsonScan;
import dev.sluice.pipelines.internal.json.PathSet;
import dev.sluice.pipelines.internal.json.Spans;
import java.io.IOException;

/**
 * A check on the value at a path, in one streaming pass. True when the value passes (fails, negated); the match is
 * that value. No value at the path answers false, negated or not, except for {@code has_field}, where negated it is
 * the point.
 */
final class ValueDetective implements Step {
    private final JsonPath path;
    private final PathSet paths;
    private final ValueCheck check;
    private final boolean negate;
    private final StepResult missing;

    ValueDetective(JsonPath path, ValueCheck check, boolean negate, boolean existenceCheck) {
        this.path = path;
        this.paths = PathSet.of(path);
        this.check = check;
        this.negate = negate;
        this.missing = existenceCheck && negate ? StepResult.TRUE
                : StepResult.falseBecause("no value at " + path.pointer());
    }

    @Override
    public StepResult run(StepContext context) {
        context.matches(Matches.NONE);
        Payload payload = context.payload();
        Visit visit = new Visit();
        JsonScan.walk(payload.bytes(), paths, visit);
        if (visit.located == 0) {
            return missing;
        }
        if (visit.found.isEmpty()) {
            return StepResult.FALSE;
        }
        context.matches(visit.found.matches(payload));
        return StepResult.TRUE;
    }

    /** One run's state, so that the step itself stays shareable between threads. */
    private final class Visit implements JsonScan.Visitor {
        private final Found found = new Found();
        private int located;

        @Override
        public void value(JsonParser parser, JsonToken token) throws IOException {
            located++;
            int start = JsonScan.tokenStart(parser);
            if (check.test(parser, token) != negate) {
                int codePoints = token == JsonToken.VALUE_STRING ? JsonScan.codePoints(parser) : 0;
                found.add(path.pointer(), start, JsonScan.currentEnd(parser), Spans.kindOf(token), codePoints);
            }
        }
    }
}
