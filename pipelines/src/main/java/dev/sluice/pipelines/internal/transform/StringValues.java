package dev.sluice.pipelines.internal.transform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.pipelines.internal.Payload;
import dev.sluice.pipelines.internal.StepError;
import dev.sluice.pipelines.internal.json.JsonScan;
import java.io.IOException;

/**
 * The text of a string value from its bytes in the payload. Most strings have no escapes, and then the bytes between
 * the quotes are already the UTF-8 text; only a string with a backslash is read again with the parser.
 */
final class StringValues {
    private StringValues() {
    }

    /** Whether the string at {@code [start, end)} (quotes included) has an escape. */
    static boolean escaped(byte[] payload, int start, int end) {
        for (int i = start + 1; i < end - 1; i++) {
            if (payload[i] == '\\') {
                return true;
            }
        }
        return false;
    }

    /** The unescaped text of the string at {@code [start, end)}. */
    static String text(byte[] payload, int start, int end) {
        try (JsonParser parser = JsonScan.openValue(payload, start, end)) {
            parser.nextToken();
            return parser.getText();
        } catch (JsonProcessingException e) {
            throw Payload.notJson(e);
        } catch (IOException e) {
            throw new StepError("cannot read a string in the payload: " + e.getMessage());
        }
    }
}
