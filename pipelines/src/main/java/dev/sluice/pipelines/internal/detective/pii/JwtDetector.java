package dev.sluice.pipelines.internal.detective.pii;

import static dev.sluice.pipelines.internal.detective.pii.Chars.at;
import static dev.sluice.pipelines.internal.detective.pii.Chars.before;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isAlnum;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipelines.internal.Payload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A JSON Web Token: three base64url parts split by dots (the signature may be empty, for {@code alg: none}) whose
 * header decodes to a JSON object with an {@code alg}. Every JWT header starts {@code {"}, which base64url-encodes
 * to {@code eyJ}, so only text with that anchor is decoded.
 */
final class JwtDetector extends TextDetector {
    private static final int MAX_HEADER = 2048;

    JwtDetector() {
        super("pii_jwt", TextFeatures.DOT | TextFeatures.LOWER | TextFeatures.UPPER, 0, 12);
    }

    @Override
    boolean find(char[] text, int from, int to, String key) {
        int i = Chars.indexOf(text, from, to, "eyJ");
        while (i >= 0) {
            if (!isBase64Url(before(text, from, i)) && jwtAt(text, i, to)) {
                return true;
            }
            i = Chars.indexOf(text, i + 3, to, "eyJ");
        }
        return false;
    }

    private static boolean jwtAt(char[] text, int start, int to) {
        int headerEnd = runEnd(text, start, to);
        if (at(text, to, headerEnd) != '.') {
            return false;
        }
        int claimsEnd = runEnd(text, headerEnd + 1, to);
        if (claimsEnd == headerEnd + 1 || at(text, to, claimsEnd) != '.') {
            return false;
        }
        int signatureEnd = runEnd(text, claimsEnd + 1, to);
        char after = at(text, to, signatureEnd);
        return !isBase64Url(after) && after != '.' && headerEnd - start <= MAX_HEADER
                && headerHasAlg(new String(text, start, headerEnd - start));
    }

    private static int runEnd(char[] text, int i, int to) {
        while (i < to && isBase64Url(text[i])) {
            i++;
        }
        return i;
    }

    private static boolean headerHasAlg(String header) {
        try {
            byte[] json = Base64.getUrlDecoder().decode(header.getBytes(StandardCharsets.US_ASCII));
            JsonNode node = Payload.MAPPER.readTree(json);
            return node != null && node.isObject() && node.has("alg");
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }

    private static boolean isBase64Url(char c) {
        return isAlnum(c) || c == '-' || c == '_';
    }
}
