package dev.sluice.pipelines.internal.detective;

import dev.sluice.pipelines.PipelineException;
import java.math.BigDecimal;
import java.util.List;

/** A detective's {@code args}, checked against what its type takes, with errors naming the step and type. */
final class Args {
    private final String where;
    private final List<String> values;

    Args(String label, String type, List<String> values) {
        this.where = label + ": " + type;
        this.values = values;
    }

    List<String> values() {
        return values;
    }

    void none() {
        if (!values.isEmpty()) {
            throw error("takes no args, got " + values.size());
        }
    }

    /** Exactly {@code count} args; {@code meaning} says what they are, for the error. */
    void exactly(int count, String meaning) {
        if (values.size() != count) {
            throw error("takes " + (count == 1 ? "1 arg" : count + " args") + " (" + meaning + "), got "
                    + values.size());
        }
    }

    String one(String meaning) {
        exactly(1, meaning);
        return values.getFirst();
    }

    List<String> some(String meaning) {
        if (values.isEmpty()) {
            throw error("takes at least 1 arg (" + meaning + "), got none");
        }
        return values;
    }

    BigDecimal number(int i) {
        String text = values.get(i).strip();
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw error("arg '" + values.get(i) + "' is not a number");
        }
    }

    int count(int i) {
        String text = values.get(i).strip();
        try {
            int count = Integer.parseInt(text);
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw error("arg '" + values.get(i) + "' is not a whole number of 0 or more");
    }

    PipelineException error(String message) {
        return new PipelineException(where + " " + message);
    }
}
