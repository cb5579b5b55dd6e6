package dev.sluice.pipelines.internal.detective;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** A check on the one value a path reaches. A value of a kind the check is not about answers false. */
@FunctionalInterface
interface ValueCheck {
    /** Checks the value whose first token the parser is on, consuming it. */
    boolean test(JsonParser parser, JsonToken token) throws IOException;
}
