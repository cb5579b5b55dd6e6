package dev.sluice.pipelines.internal.detective;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipelines.internal.detective.pii.DetectorSet;
import dev.sluice.pipelines.internal.json.JsonScan;
import java.io.IOException;

/**
 * Runs PII detectors over every string in a value (and every integer, for the card number detector: a card number
 * sent as a JSON number is still a card number). A string matches when it contains a match anywhere; the match is
 * the whole string, as the transform after it can only rewrite whole values.
 */
final class PiiSearch implements Search {
    private final DetectorSet detectors;

    PiiSearch(DetectorSet detectors) {
        this.detectors = detectors;
    }

    @Override
    public void search(JsonParser parser, JsonToken token, String pointer, Found found) throws IOException {
        int depth = 0;
        JsonToken current = token;
        while (true) {
            switch (current) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> {
                    char[] text = parser.getTextCharacters();
                    int from = parser.getTextOffset();
                    String key = detectors.wantsKey() ? JsonScan.memberName(parser, current) : null;
                    if (detectors.matches(text, from, from + parser.getTextLength(), key)) {
                        found.add(depth == 0 ? pointer : JsonScan.pointer(parser, current), parser, current);
                    }
                }
                case VALUE_NUMBER_INT -> {
                    if (detectors.searchesNumbers() && numberMatches(parser)) {
                        found.add(depth == 0 ? pointer : JsonScan.pointer(parser, current), parser, current);
                    }
                }
                default -> {
                }
            }
            if (depth == 0) {
                return;
            }
            current = parser.nextToken();
        }
    }

    private boolean numberMatches(JsonParser parser) throws IOException {
        int length = parser.getTextLength();
        if (length < 13) {
            return false;
        }
        int from = parser.getTextOffset();
        return detectors.matchesNumber(parser.getTextCharacters(), from, from + length);
    }
}
