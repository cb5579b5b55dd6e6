package dev.sluice.pipelines.internal.detective.pii;

import static dev.sluice.pipelines.internal.detective.pii.Chars.at;
import static dev.sluice.pipelines.internal.detective.pii.Chars.before;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isAlnum;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isDigit;

/**
 * A payment card number: 13 to 19 digits, optionally grouped with single spaces or dashes, that pass the Luhn check
 * and start like a card network's numbers (3 for Amex, Diners and JCB, 4 for Visa, 5 for Mastercard and Maestro, 6
 * for Discover, UnionPay and Maestro, 2221-2720 for Mastercard). The prefix rule keeps millisecond timestamps and
 * other long ids (one in ten of which pass Luhn) from counting as cards.
 */
final class CardNumberDetector extends TextDetector {
    CardNumberDetector() {
        super("pii_credit_card", TextFeatures.DIGIT, 13, 13);
    }

    @Override
    boolean find(char[] text, int from, int to, String key) {
        int i = from;
        while (i < to) {
            if (!isDigit(text[i]) || isAlnum(before(text, from, i))) {
                i++;
                continue;
            }
            int digits = 0;
            int prefix = 0;
            // Luhn doubles every second digit counted from the right; not knowing the length yet, keep both sums.
            int sumDoublingEven = 0;
            int sumDoublingOdd = 0;
            int j = i;
            while (j < to) {
                char c = text[j];
                if (isDigit(c)) {
                    int digit = c - '0';
                    int doubled = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
                    if ((digits & 1) == 0) {
                        sumDoublingEven += doubled;
                        sumDoublingOdd += digit;
                    } else {
                        sumDoublingEven += digit;
                        sumDoublingOdd += doubled;
                    }
                    if (digits < 4) {
                        prefix = prefix * 10 + digit;
                    }
                    digits++;
                    j++;
                } else if ((c == ' ' || c == '-') && isDigit(at(text, to, j + 1))) {
                    j++;
                } else {
                    break;
                }
            }
            if (digits >= 13 && digits <= 19 && !isAlnum(at(text, to, j)) && networkPrefix(prefix)) {
                // With an even count the leftmost digit is doubled, so are all digits at even positions from the left.
                int sum = (digits & 1) == 0 ? sumDoublingEven : sumDoublingOdd;
                if (sum % 10 == 0) {
                    return true;
                }
            }
            i = j + 1;
        }
        return false;
    }

    private static boolean networkPrefix(int firstFour) {
        int first = firstFour / 1000;
        return (first >= 3 && first <= 6) || (firstFour >= 2221 && firstFour <= 2720);
    }
}
