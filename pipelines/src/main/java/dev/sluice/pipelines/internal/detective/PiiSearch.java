package dev.sluice.pipelines.internal.detective;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipelines.internal.detective.pii.TextDetector;
import dev.sluice.pipelines.internal.json.JsonScan;
import java.io.IOException;

/**
 * Runs PII detectors over every string in a value (and every integer, for the card number detector: a card number
 * sent as a JSON number is still a card number). A string matches when it contains a match anywhere; the match is
 * the whole string, as the transform after it can only rewrite whole values.
 */
final class PiiSearch implements Search {
    private final TextDetector[] detectors;
    private final TextDetector numberDetector;

    PiiSearch(TextDetector[] detectors) {
        this.detectors = detectors;
        TextDetector cards = null;
        for (TextDetector detector : detectors) {
            if (detector.type().equals("pii_credit_card")) {
                cards = detector;
            }
        }
        this.numberDetector = cards;
    }

    @Override
    public void search(JsonParser parser, JsonToken token, Found found) throws IOException {
        int depth = 0;
        JsonToken current = token;
        while (true) {
            switch (current) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> {
                    if (anyMatches(parser, current)) {
                        found.add(JsonScan.pointer(parser, current), parser, current);
                    }
                }
                case VALUE_NUMBER_INT -> {
                    if (numberDetector != null && numberMatches(parser)) {
                        found.add(JsonScan.pointer(parser, current), parser, current);
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

    private boolean anyMatches(JsonParser parser, JsonToken token) throws IOException {
        char[] text = parser.getTextCharacters();
        int from = parser.getTextOffset();
        int to = from + parser.getTextLength();
        long features = TextDetector.features(text, from, to);
        String key = null;
        boolean keyKnown = false;
        for (TextDetector detector : detectors) {
            if (!keyKnown && detector.type().equals("pii_aws_key")) {
                key = JsonScan.memberName(parser, token);
                keyKnown = true;
            }
            if (detector.matches(text, from, to, features, key)) {
                return true;
            }
        }
        return false;
    }

    private boolean numberMatches(JsonParser parser) throws IOException {
        int length = parser.getTextLength();
        if (length < 13 || length > 20) {
            return false;
        }
        char[] text = parser.getTextCharacters();
        int from = parser.getTextOffset();
        int to = from + length;
        return numberDetector.matches(text, from, to, TextDetector.features(text, from, to), null);
    }
}
