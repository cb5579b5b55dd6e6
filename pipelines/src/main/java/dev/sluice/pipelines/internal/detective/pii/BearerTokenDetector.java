package dev.sluice.pipelines.internal.detective.pii;

import static dev.sluice.pipelines.internal.detective.pii.Chars.before;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isAlnum;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isLetter;

/**
 * An HTTP bearer credential: {@code Bearer} (any case) and a token of at least 12 token characters
 * ({@code A-Z a-z 0-9 - . _ ~ + /}, then {@code =} padding) with at least one that is not a letter, so that prose
 * ("the bearer of...", "Bearer instruments") does not count.
 */
final class BearerTokenDetector extends TextDetector {
    private static final int MIN_TOKEN = 12;

    BearerTokenDetector() {
        super("pii_bearer_token", TextFeatures.SPACE, 0, 7 + MIN_TOKEN);
    }

    @Override
    boolean find(char[] text, int from, int to, String key) {
        for (int i = from; i + 7 + MIN_TOKEN <= to; i++) {
            char c = text[i];
            if ((c != 'B' && c != 'b') || isAlnum(before(text, from, i))
                    || !Chars.startsWithIgnoreCase(text, i, to, "bearer ")) {
                continue;
            }
            int j = i + 7;
            while (j < to && text[j] == ' ') {
                j++;
            }
            int start = j;
            boolean notOnlyLetters = false;
            while (j < to && isTokenChar(text[j])) {
                notOnlyLetters |= !isLetter(text[j]);
                j++;
            }
            if (j - start >= MIN_TOKEN && notOnlyLetters) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTokenChar(char c) {
        return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
    }
}
