package dev.sluice.pipelines.internal.detective;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Looks through a value and everything in it, recording each place that matches. */
@FunctionalInterface
interface Search {
    /** Searches the value whose first token the parser is on, consuming it. */
    void search(JsonParser parser, JsonToken token, Found found) throws IOException;
}
