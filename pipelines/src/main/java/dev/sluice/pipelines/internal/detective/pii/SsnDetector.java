package dev.sluice.pipelines.internal.detective.pii;

import static dev.sluice.pipelines.internal.detective.pii.Chars.at;
import static dev.sluice.pipelines.internal.detective.pii.Chars.before;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isAlnum;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isDigit;

/**
 * A US Social Security number written {@code ddd-dd-dddd}, with the numbers the SSA never issues left out: area 000,
 * 666 or 900-999, group 00, serial 0000. Nine plain digits are not taken for an SSN: too many other ids look like
 * that.
 */
final class SsnDetector extends TextDetector {
    SsnDetector() {
        super("pii_ssn", TextFeatures.DIGIT | TextFeatures.DASH, 9, 11);
    }

    @Override
    boolean find(char[] text, int from, int to, String key) {
        for (int i = from; i + 11 <= to; i++) {
            char previous = before(text, from, i);
            if (!isDigit(text[i]) || isAlnum(previous) || previous == '-') {
                continue;
            }
            char next = at(text, to, i + 11);
            if (isAlnum(next) || next == '-' || !shaped(text, i)) {
                continue;
            }
            int area = number(text, i, 3);
            int group = number(text, i + 4, 2);
            int serial = number(text, i + 7, 4);
            if (area != 0 && area != 666 && area < 900 && group != 0 && serial != 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean shaped(char[] text, int i) {
        for (int k = 0; k < 11; k++) {
            boolean dash = k == 3 || k == 6;
            if (dash ? text[i + k] != '-' : !isDigit(text[i + k])) {
                return false;
            }
        }
        return true;
    }

    private static int number(char[] text, int at, int digits) {
        int value = 0;
        for (int k = 0; k < digits; k++) {
            value = value * 10 + (text[at + k] - '0');
        }
        return value;
    }
}
