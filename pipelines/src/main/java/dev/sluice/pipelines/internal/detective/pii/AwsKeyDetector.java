package dev.sluice.pipelines.internal.detective.pii;

import static dev.sluice.pipelines.internal.detective.pii.Chars.at;
import static dev.sluice.pipelines.internal.detective.pii.Chars.before;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isAlnum;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isDigit;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isUpper;

import java.util.Locale;

/**
 * AWS credentials: an access key id ({@code AKIA} for long-term keys, {@code ASIA} for temporary ones, then 16
 * upper-case letters and digits) anywhere in the text; or a secret access key (exactly 40 characters of
 * {@code A-Z a-z 0-9 / + =}) as the whole value of a member whose name mentions an AWS secret
 * ({@code aws_secret_access_key}, {@code awsSecret}, {@code SecretAccessKey}). A secret key alone is 40 random
 * characters, like many other things, so it takes the name to tell.
 */
final class AwsKeyDetector extends TextDetector {
    AwsKeyDetector() {
        super("pii_aws_key", TextFeatures.UPPER, 0, 20);
    }

    @Override
    boolean find(char[] text, int from, int to, String key) {
        if (to - from == 40 && key != null && isSecretValue(text, from, to) && isSecretName(key)) {
            return true;
        }
        for (int i = from; i + 20 <= to; i++) {
            if (text[i] == 'A' && (text[i + 1] == 'K' || text[i + 1] == 'S') && text[i + 2] == 'I'
                    && text[i + 3] == 'A' && !isAlnum(before(text, from, i)) && !isAlnum(at(text, to, i + 20))
                    && idBody(text, i + 4)) {
                return true;
            }
        }
        return false;
    }

    private static boolean idBody(char[] text, int at) {
        for (int k = at; k < at + 16; k++) {
            if (!isUpper(text[k]) && !isDigit(text[k])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSecretValue(char[] text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (!isAlnum(c) && c != '/' && c != '+' && c != '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isSecretName(String key) {
        String name = SensitiveKeys.squash(key).toLowerCase(Locale.ROOT);
        return name.contains("awssecret") || name.contains("secretaccesskey");
    }
}
