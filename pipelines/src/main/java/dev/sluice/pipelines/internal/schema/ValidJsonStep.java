package dev.sluice.pipelines.internal.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipelines.internal.Step;
import dev.sluice.pipelines.internal.StepContext;
import dev.sluice.pipelines.internal.StepResult;
import java.io.IOException;

/**
 * True when the payload is one JSON value (any: object, array, string, number, literal) and nothing but whitespace
 * after it; false, naming what broke and at which byte, otherwise. Streams over the tokens without building a tree,
 * so a later step that needs the tree parses the bytes itself.
 */
final class ValidJsonStep implements Step {
    static final ValidJsonStep INSTANCE = new ValidJsonStep();

    /** Thread-safe once configured; Jackson's default limits (nesting depth, string length) apply. */
    private static final JsonFactory FACTORY = new JsonFactory();

    private ValidJsonStep() {
    }

    @Override
    public StepResult run(StepContext context) {
        return check(context.payload().bytes());
    }

    static StepResult check(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return StepResult.falseBecause("payload is empty");
        }
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return StepResult.falseBecause("payload is only whitespace");
            }
            // Reads (and so checks) every token of a container up to its end; a scalar has no children.
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return StepResult.falseBecause("trailing content after the JSON value at byte "
                        + parser.currentTokenLocation().getByteOffset());
            }
            return StepResult.TRUE;
        } catch (JsonProcessingException e) {
            return StepResult.falseBecause(e.getOriginalMessage() + " at byte " + e.getLocation().getByteOffset());
        } catch (IOException e) {
            return StepResult.falseBecause(String.valueOf(e.getMessage()));
        }
    }
}
