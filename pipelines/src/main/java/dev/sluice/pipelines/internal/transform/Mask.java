package dev.sluice.pipelines.internal.transform;

import dev.sluice.pipelines.internal.json.Spans;
import java.util.Arrays;

/**
 * {@code mask}: a string becomes as many {@code *} as it has characters (code points of the unescaped text, so
 * {@code "é"} and {@code "\u00e9"} both become {@code "*"}); a number becomes a string of as many {@code *} as its
 * JSON text has characters ({@code 4111} becomes {@code "****"}: a number cannot be masked and stay a number without
 * passing for a real value). Booleans and nulls are left as they are; in objects and arrays every string and number
 * is masked.
 */
final class Mask implements Rewrite {
    @Override
    public boolean leaves() {
        return true;
    }

    @Override
    public byte[] rewrite(byte[] payload, int start, int end, byte kind, int codePoints) {
        return switch (kind) {
            case Spans.STRING -> stars(codePoints);
            case Spans.NUMBER -> stars(end - start);
            default -> null;
        };
    }

    private static byte[] stars(int count) {
        byte[] masked = new byte[count + 2];
        Arrays.fill(masked, (byte) '*');
        masked[0] = '"';
        masked[count + 1] = '"';
        return masked;
    }
}
