package dev.sluice.pipelines.internal.detective;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipelines.internal.detective.pii.SensitiveKeys;
import dev.sluice.pipelines.internal.json.JsonScan;
import java.io.IOException;

/**
 * Finds members whose name says they are sensitive, whatever their value: the value is the match (a whole object
 * under {@code credentials}, say), and nothing inside it is searched further since the transform will act on all of
 * it.
 */
final class KeywordSearch implements Search {
    private final SensitiveKeys keys;

    KeywordSearch(SensitiveKeys keys) {
        this.keys = keys;
    }

    @Override
    public void search(JsonParser parser, JsonToken token, String pointer, Found found) throws IOException {
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            return;
        }
        int depth = 0;
        JsonToken current = token;
        while (true) {
            switch (current) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case FIELD_NAME -> {
                    if (keys.isSensitive(parser.currentName())) {
                        JsonToken value = parser.nextToken();
                        found.add(JsonScan.pointer(parser, value), parser, value);
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
}
