package dev.sluice.pipelines.internal.detective.pii;

/** ASCII character tests and searches over a range of a char array, which is how Jackson hands over string text. */
final class Chars {
    private Chars() {
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean isLetter(char c) {
        return isUpper(c) || isLower(c);
    }

    static boolean isAlnum(char c) {
        return isDigit(c) || isLetter(c);
    }

    static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** The character before {@code i}, or a space at the start of the range: a boundary either way. */
    static char before(char[] text, int from, int i) {
        return i > from ? text[i - 1] : ' ';
    }

    /** The character at {@code i}, or a space past the end of the range. */
    static char at(char[] text, int to, int i) {
        return i < to ? text[i] : ' ';
    }

    static boolean startsWith(char[] text, int at, int to, String prefix) {
        if (to - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Like {@link #startsWith}, ignoring ASCII case; {@code prefix} is lower case. */
    static boolean startsWithIgnoreCase(char[] text, int at, int to, String prefix) {
        if (to - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = text[at + i];
            if (isUpper(c)) {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Where {@code needle} first occurs in {@code text[from, to)}, or -1. */
    static int indexOf(char[] text, int from, int to, String needle) {
        char first = needle.charAt(0);
        int last = to - needle.length();
        for (int i = from; i <= last; i++) {
            if (text[i] == first && startsWith(text, i, to, needle)) {
                return i;
            }
        }
        return -1;
    }
}
