package dev.sluice.pipelines.internal.detective.pii;

/**
 * Finds one kind of sensitive data in a string value. Detectors are hand-written scanners rather than regular
 * expressions: they run on every string of a payload, and a scan that looks for its anchor character first costs a
 * fraction of a regex match.
 */
public abstract class TextDetector {
    private final String type;
    private final int needs;
    private final int minDigits;
    private final int minLength;

    /**
     * @param type      the detective type it answers for ({@code pii_email})
     * @param needs     {@link TextFeatures} bits a matching string always has
     * @param minDigits how many digits a matching string has at least
     * @param minLength how many characters a matching string has at least
     */
    TextDetector(String type, int needs, int minDigits, int minLength) {
        this.type = type;
        this.needs = needs;
        this.minDigits = minDigits;
        this.minLength = minLength;
    }

    public String type() {
        return type;
    }

    /** Whether a string with these features and length could match: false means there is no need to look. */
    boolean couldMatch(long features, int length) {
        return (TextFeatures.bits(features) & needs) == needs && TextFeatures.digits(features) >= minDigits
                && length >= minLength;
    }

    /**
     * Whether {@code text[from, to)} contains what this detector looks for.
     *
     * @param key the name of the member the string is the value of, or null in an array or at the top
     */
    abstract boolean find(char[] text, int from, int to, String key);

    /** What {@link #matches} needs to know about a string, found in one pass shared by all detectors. */
    public static long features(char[] text, int from, int to) {
        return TextFeatures.of(text, from, to);
    }

    /**
     * Whether {@code text[from, to)} contains what this detector looks for.
     *
     * @param features {@link #features} of the same range
     * @param key      the name of the member the string is the value of, or null
     */
    public final boolean matches(char[] text, int from, int to, long features, String key) {
        return couldMatch(features, to - from) && find(text, from, to, key);
    }
}
