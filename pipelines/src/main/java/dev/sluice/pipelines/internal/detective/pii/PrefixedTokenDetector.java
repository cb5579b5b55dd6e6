package dev.sluice.pipelines.internal.detective.pii;

import static dev.sluice.pipelines.internal.detective.pii.Chars.at;
import static dev.sluice.pipelines.internal.detective.pii.Chars.before;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isAlnum;

/**
 * A vendor token recognised by its fixed prefix and a body of at least so many token characters: GitHub
 * ({@code ghp_ gho_ ghu_ ghs_ ghr_} and {@code github_pat_}), Slack ({@code xoxb- xoxa- xoxp- xoxr- xoxs-}) and
 * Stripe ({@code sk_live_ sk_test_ rk_live_ rk_test_ pk_live_ pk_test_}).
 */
final class PrefixedTokenDetector extends TextDetector {
    private final String[] prefixes;
    private final int[] minBodies;
    private final boolean underscoreInBody;
    private final boolean dashInBody;
    /** The prefixes' first characters: most characters of a string are none of them. */
    private final String firstChars;

    private PrefixedTokenDetector(String type, int needs, String[] prefixes, int[] minBodies,
                                  boolean underscoreInBody, boolean dashInBody) {
        super(type, needs, 0, shortest(prefixes, minBodies));
        this.prefixes = prefixes;
        this.minBodies = minBodies;
        this.underscoreInBody = underscoreInBody;
        this.dashInBody = dashInBody;
        StringBuilder first = new StringBuilder();
        for (String prefix : prefixes) {
            if (first.indexOf(prefix.substring(0, 1)) < 0) {
                first.append(prefix.charAt(0));
            }
        }
        this.firstChars = first.toString();
    }

    static PrefixedTokenDetector github() {
        return new PrefixedTokenDetector("pii_github_token", TextFeatures.UNDERSCORE | TextFeatures.LOWER,
                new String[] {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"},
                new int[] {30, 30, 30, 30, 30, 22}, true, false);
    }

    static PrefixedTokenDetector slack() {
        return new PrefixedTokenDetector("pii_slack_token", TextFeatures.DASH | TextFeatures.LOWER,
                new String[] {"xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"},
                new int[] {10, 10, 10, 10, 10}, false, true);
    }

    static PrefixedTokenDetector stripe() {
        return new PrefixedTokenDetector("pii_stripe_key", TextFeatures.UNDERSCORE | TextFeatures.LOWER,
                new String[] {"sk_live_", "sk_test_", "rk_live_", "rk_test_", "pk_live_", "pk_test_"},
                new int[] {16, 16, 16, 16, 16, 16}, false, false);
    }

    private static int shortest(String[] prefixes, int[] minBodies) {
        int shortest = Integer.MAX_VALUE;
        for (int i = 0; i < prefixes.length; i++) {
            shortest = Math.min(shortest, prefixes[i].length() + minBodies[i]);
        }
        return shortest;
    }

    @Override
    boolean find(char[] text, int from, int to, String key) {
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (firstChars.indexOf(c) < 0) {
                continue;
            }
            char previous = before(text, from, i);
            if (isAlnum(previous) || previous == '_') {
                continue;
            }
            for (int p = 0; p < prefixes.length; p++) {
                String prefix = prefixes[p];
                if (c == prefix.charAt(0) && Chars.startsWith(text, i, to, prefix)) {
                    int start = i + prefix.length();
                    int j = start;
                    while (j < to && isBody(text[j])) {
                        j++;
                    }
                    if (j - start >= minBodies[p] && !isAlnum(at(text, to, j))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean isBody(char c) {
        return isAlnum(c) || (underscoreInBody && c == '_') || (dashInBody && c == '-');
    }
}
