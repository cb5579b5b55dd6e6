package dev.sluice.pipelines.internal.detective;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipelines.internal.json.JsonScan;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks on the single value at a path: existence, emptiness and type, string comparisons, numeric comparisons
 * and formats. String checks answer false on anything but a string, numeric checks on anything but a JSON number (a
 * number inside a string is a string; {@code timestamp_unix} is the one check that takes both).
 */
final class ValueChecks {
    static final List<String> TYPES = List.of("has_field", "is_empty", "is_type", "string_equal",
            "string_contains_any", "string_contains_all", "regex", "string_length_min", "string_length_max",
            "string_length_range", "numeric_equal_to", "numeric_greater_than", "numeric_greater_equal",
            "numeric_less_than", "numeric_less_equal", "numeric_range", "timestamp_rfc3339", "timestamp_unix",
            "uuid", "ipv4", "ipv6", "mac_address", "url", "hostname", "semver", "boolean_true", "boolean_false");

    private static final Set<String> JSON_TYPES =
            Set.of("string", "number", "integer", "boolean", "object", "array", "null");

    private ValueChecks() {
    }

    /** The check for a type, its args checked; null when the type is not one of {@link #TYPES}. */
    static ValueCheck compile(String type, Args args) {
        return switch (type) {
            case "has_field" -> {
                args.none();
                yield (parser, token) -> {
                    JsonScan.skip(parser, token);
                    return true;
                };
            }
            case "is_empty" -> {
                args.none();
                yield ValueChecks::isEmpty;
            }
            case "is_type" -> isType(args);
            case "string_equal" -> {
                String expected = args.one("the string to compare with");
                yield string(expected::equals);
            }
            case "string_contains_any" -> {
                List<String> needles = List.copyOf(args.some("the strings to look for"));
                yield string(text -> needles.stream().anyMatch(text::contains));
            }
            case "string_contains_all" -> {
                List<String> needles = List.copyOf(args.some("the strings to look for"));
                yield string(text -> needles.stream().allMatch(text::contains));
            }
            case "regex" -> regex(args);
            case "string_length_min" -> {
                args.exactly(1, "the least number of characters");
                int min = args.count(0);
                yield length(length -> length >= min);
            }
            case "string_length_max" -> {
                args.exactly(1, "the most characters");
                int max = args.count(0);
                yield length(length -> length <= max);
            }
            case "string_length_range" -> {
                args.exactly(2, "the least and the most characters");
                int min = args.count(0);
                int max = args.count(1);
                if (min > max) {
                    throw args.error("min " + min + " is more than max " + max);
                }
                yield length(length -> length >= min && length <= max);
            }
            case "numeric_equal_to" -> compare(args, sign -> sign == 0);
            case "numeric_greater_than" -> compare(args, sign -> sign > 0);
            case "numeric_greater_equal" -> compare(args, sign -> sign >= 0);
            case "numeric_less_than" -> compare(args, sign -> sign < 0);
            case "numeric_less_equal" -> compare(args, sign -> sign <= 0);
            case "numeric_range" -> range(args);
            case "timestamp_rfc3339" -> format(args, Formats::isRfc3339);
            case "timestamp_unix" -> {
                args.none();
                yield ValueChecks::isUnixTime;
            }
            case "uuid" -> format(args, Formats::isUuid);
            case "ipv4" -> format(args, Formats::isIpv4);
            case "ipv6" -> format(args, Formats::isIpv6);
            case "mac_address" -> format(args, Formats::isMacAddress);
            case "url" -> format(args, Formats::isUrl);
            case "hostname" -> format(args, Formats::isHostname);
            case "semver" -> format(args, Formats::isSemver);
            case "boolean_true" -> {
                args.none();
                yield (parser, token) -> token == JsonToken.VALUE_TRUE;
            }
            case "boolean_false" -> {
                args.none();
                yield (parser, token) -> token == JsonToken.VALUE_FALSE;
            }
            default -> null;
        };
    }

    private static boolean isEmpty(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NULL -> true;
            case VALUE_STRING -> parser.getTextLength() == 0;
            case START_OBJECT, START_ARRAY -> {
                JsonToken first = parser.nextToken();
                if (first == JsonToken.END_OBJECT || first == JsonToken.END_ARRAY) {
                    yield true;
                }
                finishContainer(parser);
                yield false;
            }
            default -> false;
        };
    }

    /** Reads up to the end of the container the parser has just entered the first member or element of. */
    private static void finishContainer(JsonParser parser) throws IOException {
        int depth = 1;
        JsonToken token = parser.currentToken();
        while (true) {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                depth++;
            } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                depth--;
                if (depth == 0) {
                    return;
                }
            }
            token = parser.nextToken();
        }
    }

    private static ValueCheck isType(Args args) {
        String wanted = args.one("one of " + String.join(", ", JSON_TYPES.stream().sorted().toList())).strip();
        if (!JSON_TYPES.contains(wanted)) {
            throw args.error("type '" + wanted + "' is not one of array, boolean, integer, null, number, object, "
                    + "string");
        }
        return (parser, token) -> {
            JsonScan.skip(parser, token);
            return switch (wanted) {
                case "string" -> token == JsonToken.VALUE_STRING;
                case "number" -> token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
                case "integer" -> token == JsonToken.VALUE_NUMBER_INT;
                case "boolean" -> token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
                case "object" -> token == JsonToken.START_OBJECT;
                case "array" -> token == JsonToken.START_ARRAY;
                default -> token == JsonToken.VALUE_NULL;
            };
        };
    }

    private static ValueCheck regex(Args args) {
        String regex = args.one("the regular expression");
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw args.error("'" + regex + "' is not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
        return string(text -> pattern.matcher(text).find());
    }

    private static ValueCheck string(Predicate<String> predicate) {
        return (parser, token) -> {
            if (token != JsonToken.VALUE_STRING) {
                JsonScan.skip(parser, token);
                return false;
            }
            return predicate.test(parser.getText());
        };
    }

    private static ValueCheck format(Args args, Predicate<String> predicate) {
        args.none();
        return string(predicate);
    }

    /** Length in code points, so an emoji is one character, as users count. */
    private static ValueCheck length(IntPredicate predicate) {
        return (parser, token) -> {
            if (token != JsonToken.VALUE_STRING) {
                JsonScan.skip(parser, token);
                return false;
            }
            return predicate.test(JsonScan.codePoints(parser));
        };
    }

    private static ValueCheck compare(Args args, IntPredicate sign) {
        args.exactly(1, "the number to compare with");
        NumericBound bound = new NumericBound(args.number(0));
        return (parser, token) -> isNumber(parser, token) && sign.test(bound.compare(parser));
    }

    private static ValueCheck range(Args args) {
        args.exactly(2, "the least and the greatest number, inclusive");
        NumericBound min = new NumericBound(args.number(0));
        NumericBound max = new NumericBound(args.number(1));
        if (min.value().compareTo(max.value()) > 0) {
            throw args.error("min " + min.value() + " is more than max " + max.value());
        }
        return (parser, token) -> isNumber(parser, token) && min.compare(parser) >= 0 && max.compare(parser) <= 0;
    }

    private static boolean isNumber(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return true;
        }
        JsonScan.skip(parser, token);
        return false;
    }

    private static boolean isUnixTime(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return Formats.isUnixTime(parser.getDecimalValue());
        }
        if (token == JsonToken.VALUE_STRING) {
            BigDecimal value = Formats.decimalDigits(parser.getText());
            return value != null && Formats.isUnixTime(value);
        }
        JsonScan.skip(parser, token);
        return false;
    }
}
