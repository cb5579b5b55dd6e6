package dev.sluice.pipelines.internal.transform;

import dev.sluice.pipelines.internal.json.Spans;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code obfuscate}: a string becomes the lower-case hex SHA-256 of its UTF-8 text; a number the SHA-256 of its JSON
 * text, as a string. Equal values stay equal, so joins and counts still work on the result. Booleans and nulls are
 * left as they are; in objects and arrays every string and number is obfuscated.
 */
final class Obfuscate implements Rewrite {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public boolean leaves() {
        return true;
    }

    @Override
    public byte[] rewrite(byte[] payload, int start, int end, byte kind, int codePoints) {
        MessageDigest digest = newDigest();
        switch (kind) {
            case Spans.STRING -> {
                if (StringValues.escaped(payload, start, end)) {
                    digest.update(StringValues.text(payload, start, end).getBytes(StandardCharsets.UTF_8));
                } else {
                    digest.update(payload, start + 1, end - start - 2);
                }
            }
            case Spans.NUMBER -> digest.update(payload, start, end - start);
            default -> {
                return null;
            }
        }
        byte[] hash = digest.digest();
        byte[] quoted = new byte[hash.length * 2 + 2];
        quoted[0] = '"';
        for (int i = 0; i < hash.length; i++) {
            quoted[1 + 2 * i] = HEX[(hash[i] >> 4) & 0xF];
            quoted[2 + 2 * i] = HEX[hash[i] & 0xF];
        }
        quoted[quoted.length - 1] = '"';
        return quoted;
    }

    /** A fresh digest: cloning the prototype skips the provider look-up that getInstance makes. */
    private static MessageDigest newDigest() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
