package dev.sluice.pipelines.internal.detective.pii;

import static dev.sluice.pipelines.internal.detective.pii.Chars.at;
import static dev.sluice.pipelines.internal.detective.pii.Chars.before;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isAlnum;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isDigit;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isHex;

/**
 * An IPv4 or IPv6 address in the text, standing on its own: not part of a longer dotted number or word (so
 * {@code 1.2.3.4.5} and {@code std::vector} do not count). A four-part version number is indistinguishable from an
 * IPv4 address and counts.
 */
final class IpAddressDetector extends TextDetector {
    IpAddressDetector() {
        // IPv4 needs dots and four digits; IPv6 only a colon.
        super("pii_ip_address", TextFeatures.DOT, 4, 7, TextFeatures.COLON);
    }

    @Override
    boolean find(char[] text, int from, int to, String key) {
        return findIpv4(text, from, to) || findIpv6(text, from, to);
    }

    private static boolean findIpv4(char[] text, int from, int to) {
        for (int i = from; i + 7 <= to; i++) {
            char previous = before(text, from, i);
            if (!isDigit(text[i]) || isAlnum(previous) || previous == '.') {
                continue;
            }
            int j = i;
            boolean ok = true;
            for (int part = 0; part < 4 && ok; part++) {
                if (part > 0) {
                    ok = at(text, to, j) == '.';
                    j++;
                }
                int end = ok ? Addresses.octetEnd(text, j, to) : -1;
                ok = end > 0;
                j = end;
            }
            if (ok && !isAlnum(at(text, to, j)) && !(at(text, to, j) == '.' && isDigit(at(text, to, j + 1)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean findIpv6(char[] text, int from, int to) {
        int i = from;
        while (i < to) {
            char c = text[i];
            char previous = before(text, from, i);
            if (!(isHex(c) || c == ':') || isAlnum(previous) || previous == ':' || previous == '.') {
                i++;
                continue;
            }
            int j = i;
            int colons = 0;
            while (j < to && (isHex(text[j]) || text[j] == ':' || text[j] == '.')) {
                colons += text[j] == ':' ? 1 : 0;
                j++;
            }
            if (colons >= 2 && !isAlnum(at(text, to, j))) {
                // A sentence may end right after the address: "... from fe80::1."
                int end = j;
                char last = text[end - 1];
                if (Addresses.isIpv6(text, i, end)
                        || ((last == '.' || last == ':') && !(end - 2 >= i && text[end - 2] == ':')
                        && Addresses.isIpv6(text, i, end - 1))) {
                    return true;
                }
            }
            i = j + 1;
        }
        return false;
    }
}
