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
 * A PII search through the value at a path, or the whole payload without one, in one streaming pass. True when
 * something matched, and the matches are every string (or member value, for {@code pii_keyword}) that did. Negated,
 * true when nothing matched; the match is then the searched value itself, or nothing for the whole payload (a
 * transform acting on "the payload without PII" is not what anyone means).
 */
final class SearchDetective implements Step {
    private final JsonPath path;
    private final PathSet paths;
    private final Search search;
    private final boolean negate;
    private final StepResult missing;

    SearchDetective(JsonPath path, Search search, boolean negate) {
        this.path = path;
        this.paths = PathSet.of(path);
        this.search = search;
        this.negate = negate;
        this.missing = StepResult.falseBecause("no value at " + path.pointer());
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
        if (negate ? visit.clean == 0 : visit.found.isEmpty()) {
            return StepResult.FALSE;
        }
        context.matches(visit.found.matches(payload));
        return StepResult.TRUE;
    }

    private final class Visit implements JsonScan.Visitor {
        private final Found found = new Found();
        private int located;
        private int clean;

        @Override
        public void value(JsonParser parser, JsonToken token) throws IOException {
            located++;
            if (!negate) {
                search.search(parser, token, path.pointer(), found);
                return;
            }
            int start = JsonScan.tokenStart(parser);
            Found inside = new Found();
            search.search(parser, token, path.pointer(), inside);
            if (inside.isEmpty()) {
                clean++;
                int codePoints = token == JsonToken.VALUE_STRING ? JsonScan.codePoints(parser) : 0;
                if (!path.isRoot()) {
                    found.add(path.pointer(), start, JsonScan.currentEnd(parser), Spans.kindOf(token), codePoints);
                }
            }
        }
    }
}
