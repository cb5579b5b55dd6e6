package dev.sluice.pipelines.internal.detective.pii;

/**
 * Finds one kind of sensitive data in a string value. Detectors are hand-written scanners rather than regular
 * expressions: they run on every string of a payload, and a scan that looks for its anchor character first costs a
 * fraction of a regex match. Each also says what a string it could match must have ({@link TextFeatures} bits, a
 * number of digits, a length), so that {@link DetectorSet} can skip it without calling it.
 */
abstract class TextDetector {
    final String type;
    final int needs;
    final int minDigits;
    final int minLength;
    /** Other {@link TextFeatures} bits that are enough on their own, or 0 (IPv6 needs only a colon). */
    final int orNeeds;

    /**
     * @param type      the detective type it answers for ({@code pii_email})
     * @param needs     {@link TextFeatures} bits a matching string always has
     * @param minDigits how many digits a matching string has at least
     * @param minLength how many characters a matching string has at least
     */
    TextDetector(String type, int needs, int minDigits, int minLength) {
        this(type, needs, minDigits, minLength, 0);
    }

    TextDetector(String type, int needs, int minDigits, int minLength, int orNeeds) {
        this.type = type;
        this.needs = needs;
        this.minDigits = minDigits;
        this.minLength = minLength;
        this.orNeeds = orNeeds;
    }

    /**
     * Whether {@code text[from, to)} contains what this detector looks for.
     *
     * @param key the name of the member the string is the value of, or null in an array or at the top
     */
    abstract boolean find(char[] text, int from, int to, String key);
}
