package dev.sluice.pipelines.internal.transform;

import dev.sluice.pipelines.internal.Matches;
import dev.sluice.pipelines.internal.Payload;
import dev.sluice.pipelines.internal.Step;
import dev.sluice.pipelines.internal.StepContext;
import dev.sluice.pipelines.internal.StepError;
import dev.sluice.pipelines.internal.StepResult;
import dev.sluice.pipelines.internal.json.JsonPath;
import dev.sluice.pipelines.internal.json.JsonScan;
import dev.sluice.pipelines.internal.json.PathSet;
import dev.sluice.pipelines.internal.json.Spans;

/**
 * A transform that rewrites values where they are: it finds their byte spans (from the detective step just before
 * it when that step found them in this version of the payload, else in one streaming pass) and copies the payload
 * once with the new bytes spliced in. The payload is never parsed into a tree nor written out again, and what is not
 * rewritten keeps its exact bytes.
 */
final class SpliceTransform implements Step {
    private static final StepResult NOTHING_MATCHED = StepResult.falseBecause("no path and nothing matched");

    private final String type;
    private final JsonPath path;
    private final PathSet paths;
    private final Rewrite rewrite;
    private final StepResult missing;
    private final StepResult unchanged;

    /** @param path the path to act on, or null to act on the detective's matches */
    SpliceTransform(String type, JsonPath path, Rewrite rewrite) {
        this.type = type;
        this.path = path;
        this.paths = path == null ? null : PathSet.of(path);
        this.rewrite = rewrite;
        this.missing = StepResult.falseBecause(path == null ? "the matched values are gone"
                : "no value at " + path.pointer());
        this.unchanged = StepResult.falseBecause("nothing to " + type);
    }

    @Override
    public StepResult run(StepContext context) {
        Payload payload = context.payload();
        byte[] bytes = payload.bytes();
        Spans targets;
        if (path != null) {
            targets = locate(bytes, paths);
        } else {
            Matches matches = context.matches();
            if (matches.isEmpty()) {
                return NOTHING_MATCHED;
            }
            Spans found = matches.spansIn(payload);
            boolean usable = found != null && !(rewrite.leaves() && found.hasContainers());
            targets = usable ? found : locate(bytes, PathSet.of(Targets.paths(matches)));
        }
        if (targets.isEmpty()) {
            return missing;
        }
        byte[] rewritten = splice(bytes, targets);
        if (rewritten == null) {
            return unchanged;
        }
        payload.replace(rewritten);
        return StepResult.TRUE;
    }

    private Spans locate(byte[] bytes, PathSet targets) {
        Spans spans = new Spans();
        boolean leaves = rewrite.leaves();
        JsonScan.walk(bytes, targets, (parser, token) -> {
            if (leaves) {
                spans.addLeaves(parser, token);
            } else {
                spans.addValue(parser, token);
            }
        });
        return spans;
    }

    /**
     * The payload with the spans rewritten, or null when the rewrite left them all alone. Every replacement is
     * worked out before anything is copied, so a value the transform cannot handle leaves the payload untouched.
     */
    private byte[] splice(byte[] bytes, Spans spans) {
        int count = spans.size();
        byte[][] replacements = new byte[count][];
        int growth = 0;
        int previousEnd = 0;
        boolean any = false;
        for (int i = 0; i < count; i++) {
            int start = spans.start(i);
            int end = spans.end(i);
            if (start < previousEnd) {
                continue;
            }
            byte[] replacement;
            try {
                replacement = rewrite.rewrite(bytes, start, end, spans.kind(i), spans.codePoints(i));
            } catch (StepError e) {
                throw path == null ? e : new StepError(e.getMessage() + " at " + path.pointer());
            }
            if (replacement != null) {
                replacements[i] = replacement;
                growth += replacement.length - (end - start);
                any = true;
            }
            previousEnd = end;
        }
        if (!any) {
            return null;
        }
        byte[] out = new byte[bytes.length + growth];
        int from = 0;
        int to = 0;
        for (int i = 0; i < count; i++) {
            byte[] replacement = replacements[i];
            if (replacement == null) {
                continue;
            }
            int start = spans.start(i);
            System.arraycopy(bytes, from, out, to, start - from);
            to += start - from;
            System.arraycopy(replacement, 0, out, to, replacement.length);
            to += replacement.length;
            from = spans.end(i);
        }
        System.arraycopy(bytes, from, out, to, bytes.length - from);
        return out;
    }

    @Override
    public String toString() {
        return type + (path == null ? "" : " " + path.pointer());
    }
}
