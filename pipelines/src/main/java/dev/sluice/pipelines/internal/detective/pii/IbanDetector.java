package dev.sluice.pipelines.internal.detective.pii;

import static dev.sluice.pipelines.internal.detective.pii.Chars.at;
import static dev.sluice.pipelines.internal.detective.pii.Chars.before;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isAlnum;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isDigit;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isUpper;

/**
 * An IBAN: a two-letter country code, two check digits and 11 to 30 upper-case letters and digits (15 to 34 in all),
 * written solid or in groups split by single spaces, whose ISO 7064 mod-97 check gives 1. Real account numbers are
 * mostly digits, so candidates whose account part is mostly letters are passed over: without that, one upper-case
 * word run in 97 would pass the checksum.
 */
final class IbanDetector extends TextDetector {
    IbanDetector() {
        super("pii_iban", TextFeatures.UPPER | TextFeatures.DIGIT, 2, 15);
    }

    @Override
    boolean find(char[] text, int from, int to, String key) {
        for (int i = from; i + 15 <= to; i++) {
            if (isUpper(text[i]) && isUpper(text[i + 1]) && isDigit(text[i + 2]) && isDigit(text[i + 3])
                    && !isAlnum(before(text, from, i)) && ibanAt(text, i, to)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an IBAN starts at {@code start}; it may end at any group boundary, so each is tried. */
    private static boolean ibanAt(char[] text, int start, int to) {
        int characters = 4;
        int accountDigits = 0;
        int accountCharacters = 0;
        int remainder = 0;
        int j = start + 4;
        while (j < to && characters < 34) {
            char c = text[j];
            if (isDigit(c) || isUpper(c)) {
                remainder = mod97(remainder, c);
                characters++;
                accountCharacters++;
                accountDigits += isDigit(c) ? 1 : 0;
                j++;
                char next = at(text, to, j);
                boolean groupEnds = !isDigit(next) && !isUpper(next);
                if (groupEnds && characters >= 15 && !isAlnum(next) && accountDigits * 2 >= accountCharacters
                        && withHead(remainder, text, start) == 1) {
                    return true;
                }
            } else if (c == ' ' && (isDigit(at(text, to, j + 1)) || isUpper(at(text, to, j + 1)))) {
                j++;
            } else {
                break;
            }
        }
        return false;
    }

    /** The check moves the country code and check digits behind the account number. */
    private static int withHead(int remainder, char[] text, int start) {
        for (int k = 0; k < 4; k++) {
            remainder = mod97(remainder, text[start + k]);
        }
        return remainder;
    }

    /** Appends one character to the number the check reads (a letter counts as two digits, A = 10) mod 97. */
    private static int mod97(int remainder, char c) {
        return isDigit(c) ? (remainder * 10 + (c - '0')) % 97 : (remainder * 100 + (c - 'A' + 10)) % 97;
    }
}
