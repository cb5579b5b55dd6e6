package dev.sluice.pipelines.internal.detective;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipelines.internal.Matches;
import dev.sluice.pipelines.internal.Payload;
import dev.sluice.pipelines.internal.json.Spans;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What one run of a detective matched, in document order: each value's JSON Pointer and where its bytes are. */
final class Found {
    private List<String> pointers;
    private Spans spans;

    boolean isEmpty() {
        return pointers == null;
    }

    /** Records the value whose first token the parser is on, and consumes it. */
    void add(String pointer, JsonParser parser, JsonToken token) throws IOException {
        ensureCapacity();
        pointers.add(pointer);
        spans.addValue(parser, token);
    }

    void add(String pointer, int start, int end, byte kind, int codePoints) {
        ensureCapacity();
        pointers.add(pointer);
        spans.add(start, end, kind, codePoints);
    }

    private void ensureCapacity() {
        if (pointers == null) {
            pointers = new ArrayList<>(2);
            spans = new Spans();
        }
    }

    Matches matches(Payload payload) {
        return pointers == null ? Matches.NONE
                : new Matches(Collections.unmodifiableList(pointers), spans, payload);
    }
}
