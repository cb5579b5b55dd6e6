package dev.sluice.pipelines.internal.detective.pii;

import static dev.sluice.pipelines.internal.detective.pii.Chars.isAlnum;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isLetter;

/**
 * An e-mail address anywhere in the text: an {@code @} with a local part before it (letters, digits and
 * {@code .!#$%&'*+/=?^_`{|}~-}, not starting or ending with a dot) and a domain after it of at least two labels
 * whose last is two or more letters (dots before the local part are taken for punctuation). ASCII addresses only.
 */
final class EmailDetector extends TextDetector {
    private static final String LOCAL_PUNCTUATION = ".!#$%&'*+/=?^_`{|}~-";

    EmailDetector() {
        super("pii_email", TextFeatures.AT | TextFeatures.DOT, 0, 6);
    }

    @Override
    boolean find(char[] text, int from, int to, String key) {
        for (int at = from + 1; at < to - 3; at++) {
            if (text[at] != '@') {
                continue;
            }
            int local = at;
            while (local > from && isLocal(text[local - 1])) {
                local--;
            }
            // Dots before the address are punctuation of the text around it ("...ada@example.com").
            while (local < at && text[local] == '.') {
                local++;
            }
            if (local == at || text[at - 1] == '.') {
                continue;
            }
            if (isDomain(text, at + 1, to)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLocal(char c) {
        return isAlnum(c) || (c < 128 && LOCAL_PUNCTUATION.indexOf(c) >= 0);
    }

    /** Whether a domain starts at {@code i}; it may be followed by anything that is not part of a label. */
    private static boolean isDomain(char[] text, int i, int to) {
        int labels = 0;
        boolean lastAllLetters;
        int lastLength;
        while (true) {
            int start = i;
            boolean letters = true;
            while (i < to && (isAlnum(text[i]) || text[i] == '-')) {
                letters &= isLetter(text[i]);
                i++;
            }
            int length = i - start;
            if (length == 0 || length > 63 || text[start] == '-' || text[i - 1] == '-') {
                return false;
            }
            labels++;
            lastAllLetters = letters;
            lastLength = length;
            if (i + 1 < to && text[i] == '.' && isAlnum(text[i + 1])) {
                i++;
            } else {
                break;
            }
        }
        return labels >= 2 && lastAllLetters && lastLength >= 2;
    }
}
