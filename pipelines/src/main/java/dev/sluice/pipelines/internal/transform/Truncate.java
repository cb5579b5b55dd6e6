package dev.sluice.pipelines.internal.transform;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.pipelines.internal.StepError;
import dev.sluice.pipelines.internal.json.Spans;

/**
 * {@code truncate}: keeps the first {@code length} characters of a string, or {@code percent} of them (rounded down),
 * counting code points so that a character is never cut in half. A string already short enough is left as it is;
 * anything but a string is an error.
 */
final class Truncate implements Rewrite {
    private final int length;
    private final int percent;

    /** Exactly one of {@code length} (0 or more) and {@code percent} (1-100) is given, the other is -1. */
    Truncate(int length, int percent) {
        this.length = length;
        this.percent = percent;
    }

    @Override
    public boolean leaves() {
        return false;
    }

    @Override
    public byte[] rewrite(byte[] payload, int start, int end, byte kind, int codePoints) {
        if (kind != Spans.STRING) {
            throw new StepError("truncate works on strings, not on " + Spans.describe(kind));
        }
        int keep = length >= 0 ? length : (int) ((long) codePoints * percent / 100);
        if (keep >= codePoints) {
            return null;
        }
        if (StringValues.escaped(payload, start, end)) {
            String text = StringValues.text(payload, start, end);
            byte[] body = JsonStringEncoder.getInstance().quoteAsUTF8(text.substring(0, text.offsetByCodePoints(0, keep)));
            return quoted(body, 0, body.length);
        }
        // Unescaped, the bytes are UTF-8: each code point starts with a byte that is not a continuation byte.
        int cut = start + 1;
        for (int seen = 0; cut < end - 1; cut++) {
            if ((payload[cut] & 0xC0) != 0x80 && seen++ == keep) {
                break;
            }
        }
        return quoted(payload, start + 1, cut);
    }

    private static byte[] quoted(byte[] source, int from, int to) {
        byte[] quoted = new byte[to - from + 2];
        quoted[0] = '"';
        System.arraycopy(source, from, quoted, 1, to - from);
        quoted[quoted.length - 1] = '"';
        return quoted;
    }
}
