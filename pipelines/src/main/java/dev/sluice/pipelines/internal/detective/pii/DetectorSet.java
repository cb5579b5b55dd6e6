package dev.sluice.pipelines.internal.detective.pii;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The detectors of one PII detective type ({@code pii_any}: all of them), run on each string of a payload. A string
 * is looked at in one pass for its {@link TextFeatures}; a detector whose needs it does not meet is skipped with a
 * few array reads, so that most strings of an ordinary payload ("gold", "en-GB", "London") cost no detector call.
 */
public final class DetectorSet {
    /** Ordered by the shortest string each can match, so that a short string stops the loop early. */
    private final TextDetector[] detectors;
    private final int[] needs;
    private final int[] minDigits;
    private final int[] minLengths;
    /** The detectors that can also match on other features alone (IPv6: a colon), whatever the length. */
    private final TextDetector[] alternatives;
    private final int[] orNeeds;
    private final TextDetector cardNumbers;
    private final boolean wantsKey;

    DetectorSet(TextDetector[] unordered) {
        TextDetector[] ordered = unordered.clone();
        Arrays.sort(ordered, Comparator.comparingInt(detector -> detector.minLength));
        this.detectors = ordered;
        int count = ordered.length;
        this.needs = new int[count];
        this.minDigits = new int[count];
        this.minLengths = new int[count];
        for (int i = 0; i < count; i++) {
            needs[i] = ordered[i].needs;
            minDigits[i] = ordered[i].minDigits;
            minLengths[i] = ordered[i].minLength;
        }
        this.alternatives = Arrays.stream(ordered).filter(detector -> detector.orNeeds != 0)
                .toArray(TextDetector[]::new);
        this.orNeeds = Arrays.stream(alternatives).mapToInt(detector -> detector.orNeeds).toArray();
        this.cardNumbers = Arrays.stream(ordered).filter(CardNumberDetector.class::isInstance)
                .findFirst().orElse(null);
        this.wantsKey = Arrays.stream(ordered).anyMatch(AwsKeyDetector.class::isInstance);
    }

    /** Whether a detector needs the name of the member a string is under (so it is worth looking up). */
    public boolean wantsKey() {
        return wantsKey;
    }

    /** Whether integers are searched too: a card number sent as a JSON number is still a card number. */
    public boolean searchesNumbers() {
        return cardNumbers != null;
    }

    /**
     * Whether some detector finds its kind of data in {@code text[from, to)}.
     *
     * @param key the name of the member the string is the value of, or null
     */
    public boolean matches(char[] text, int from, int to, String key) {
        int length = to - from;
        if (length < 3) {
            return false;
        }
        long features = TextFeatures.of(text, from, to);
        int bits = TextFeatures.bits(features);
        int digits = TextFeatures.digits(features);
        for (int i = 0; i < detectors.length && length >= minLengths[i]; i++) {
            if ((bits & needs[i]) == needs[i] && digits >= minDigits[i] && detectors[i].find(text, from, to, key)) {
                return true;
            }
        }
        for (int i = 0; i < alternatives.length; i++) {
            if ((bits & orNeeds[i]) == orNeeds[i] && alternatives[i].find(text, from, to, key)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text of a JSON integer is a card number. */
    public boolean matchesNumber(char[] text, int from, int to) {
        int length = to - from;
        return cardNumbers != null && length >= 13 && length <= 20 && cardNumbers.find(text, from, to, null);
    }
}
