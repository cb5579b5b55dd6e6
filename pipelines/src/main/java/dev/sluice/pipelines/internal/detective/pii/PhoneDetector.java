package dev.sluice.pipelines.internal.detective.pii;

import static dev.sluice.pipelines.internal.detective.pii.Chars.at;
import static dev.sluice.pipelines.internal.detective.pii.Chars.before;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isAlnum;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isDigit;

/**
 * A phone number. With a leading {@code +} (E.164, possibly grouped: {@code +44 20 7946 0958},
 * {@code +1 (555) 123-4567}, {@code +4915112345678}): 8 to 15 digits, the first not 0. Without one the grouping must
 * be a common national shape, groups split by single spaces, dashes or dots, the first possibly in parentheses:
 * 3-3-4 ({@code (555) 123-4567}, {@code 555.123.4567}), 1-3-3-4, 3-4-4, 4-3-4, 2-4-4 and 2-2-2-2-2. A run of
 * digits without a {@code +} or grouping is never a phone number, nor are dates (4-2-2), IP addresses or card
 * numbers; JSON numbers are not searched.
 */
final class PhoneDetector extends TextDetector {
    /** Group sizes of the accepted national shapes, one hex digit per group. */
    private static final int[] NATIONAL_SHAPES = {0x334, 0x1334, 0x344, 0x434, 0x244, 0x22222};

    PhoneDetector() {
        super("pii_phone", TextFeatures.DIGIT, 8, 8);
    }

    @Override
    boolean find(char[] text, int from, int to, String key) {
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (c != '+' && c != '(' && !isDigit(c)) {
                continue;
            }
            char previous = before(text, from, i);
            if (isAlnum(previous) || previous == '+' || previous == '-' || previous == '.' || previous == '(') {
                continue;
            }
            if (phoneAt(text, i, to)) {
                return true;
            }
        }
        return false;
    }

    private static boolean phoneAt(char[] text, int start, int to) {
        boolean plus = text[start] == '+';
        int j = plus ? start + 1 : start;
        int digits = 0;
        int groups = 0;
        int shape = 0;
        while (true) {
            boolean parenthesised = at(text, to, j) == '(';
            if (parenthesised) {
                j++;
            }
            int groupStart = j;
            while (j < to && isDigit(text[j])) {
                j++;
            }
            int length = j - groupStart;
            if (length == 0 || length > 15 || groups == 7) {
                return false;
            }
            if (parenthesised) {
                if (at(text, to, j) != ')') {
                    return false;
                }
                j++;
            }
            if (plus && groups == 0 && text[groupStart] == '0') {
                return false;
            }
            digits += length;
            shape = shape << 4 | length;
            groups++;
            char next = at(text, to, j);
            if ((next == ' ' || next == '-' || next == '.')
                    && (isDigit(at(text, to, j + 1)) || at(text, to, j + 1) == '(')) {
                j++;
            } else if (!(next == '(' || (parenthesised && isDigit(next)))) {
                break;
            }
        }
        if (isAlnum(at(text, to, j))) {
            return false;
        }
        if (plus) {
            return digits >= 8 && digits <= 15;
        }
        for (int national : NATIONAL_SHAPES) {
            if (shape == national) {
                return shape != 0x1334 || text[start] == '1';
            }
        }
        return false;
    }
}
