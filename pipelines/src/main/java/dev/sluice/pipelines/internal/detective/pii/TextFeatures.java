package dev.sluice.pipelines.internal.detective.pii;

/**
 * Which kinds of characters a string has, found in one pass so that each detector can tell in a couple of
 * comparisons that it need not look: no {@code @}, no e-mail; fewer than 13 digits, no card number. On a payload of
 * ordinary strings this skips almost every detector.
 */
final class TextFeatures {
    static final int DIGIT = 1;
    static final int UPPER = 1 << 1;
    static final int LOWER = 1 << 2;
    static final int AT = 1 << 3;
    static final int DOT = 1 << 4;
    static final int COLON = 1 << 5;
    static final int DASH = 1 << 6;
    static final int UNDERSCORE = 1 << 7;
    static final int SPACE = 1 << 8;

    private static final int[] ASCII = new int[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            ASCII[c] = DIGIT;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            ASCII[c] = UPPER;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            ASCII[c] = LOWER;
        }
        ASCII['@'] = AT;
        ASCII['.'] = DOT;
        ASCII[':'] = COLON;
        ASCII['-'] = DASH;
        ASCII['_'] = UNDERSCORE;
        ASCII[' '] = SPACE;
    }

    private TextFeatures() {
    }

    /** The feature bits in the low 32 bits and the number of digits in the high 32. */
    static long of(char[] text, int from, int to) {
        int features = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (c < 128) {
                int bits = ASCII[c];
                features |= bits;
                digits += bits & DIGIT;
            }
        }
        return ((long) digits << 32) | features;
    }

    static int bits(long features) {
        return (int) features;
    }

    static int digits(long features) {
        return (int) (features >>> 32);
    }
}
