package dev.sluice.pipelines.internal.detective;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * A number a JSON number is compared with, exactly: an integer payload value is compared as a long when the bound is
 * a whole number that fits one (no allocation), anything else as a BigDecimal, so {@code 9007199254740993} is not
 * equal to {@code 9007199254740992} as it would be in doubles.
 */
final class NumericBound {
    private final BigDecimal value;
    private final boolean wholeLong;
    private final long asLong;

    NumericBound(BigDecimal value) {
        this.value = value;
        long exact = 0;
        boolean whole;
        try {
            exact = value.longValueExact();
            whole = true;
        } catch (ArithmeticException e) {
            whole = false;
        }
        this.wholeLong = whole;
        this.asLong = exact;
    }

    BigDecimal value() {
        return value;
    }

    /** The sign of (the parser's current number - this bound). */
    int compare(JsonParser parser) throws IOException {
        JsonParser.NumberType type = parser.getNumberType();
        if (wholeLong && (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG)) {
            return Long.compare(parser.getLongValue(), asLong);
        }
        return parser.getDecimalValue().compareTo(value);
    }
}
