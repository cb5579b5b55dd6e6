package dev.sluice.pipelines.internal.detective;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Looks through a value and everything in it, recording each place that matches. */
@FunctionalInterface
interface Search {
    /**
     * Searches the value whose first token the parser is on, consuming it.
     *
     * @param pointer the value's JSON Pointer, which is the match when the value itself matches
     */
    void search(JsonParser parser, JsonToken token, String pointer, Found found) throws IOException;
}
