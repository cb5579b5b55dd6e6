package dev.sluice.pipelines.internal.detective.pii;

/**
 * A PEM private key: a {@code -----BEGIN ... PRIVATE KEY-----} line (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP ... BLOCK
 * or plain PKCS#8). The header is enough: a truncated or escaped key is still a leaked key.
 */
final class PrivateKeyDetector extends TextDetector {
    private static final String BEGIN = "-----BEGIN ";
    private static final int MAX_LABEL = 64;

    PrivateKeyDetector() {
        super("pii_private_key", TextFeatures.DASH | TextFeatures.UPPER | TextFeatures.SPACE, 0, 27);
    }

    @Override
    boolean find(char[] text, int from, int to, String key) {
        int begin = Chars.indexOf(text, from, to, BEGIN);
        while (begin >= 0) {
            int labelStart = begin + BEGIN.length();
            int labelEnd = Chars.indexOf(text, labelStart, Math.min(to, labelStart + MAX_LABEL + 5), "-----");
            if (labelEnd > 0 && Chars.indexOf(text, labelStart, labelEnd, "PRIVATE KEY") >= 0) {
                return true;
            }
            begin = Chars.indexOf(text, labelStart, to, BEGIN);
        }
        return false;
    }
}
