package dev.sluice.pipelines.internal.detective.pii;

import static dev.sluice.pipelines.internal.detective.pii.Chars.isDigit;
import static dev.sluice.pipelines.internal.detective.pii.Chars.isHex;

/** Whether a range of characters is exactly an IP address. Shared by the format checks and the PII detector. */
public final class Addresses {
    private Addresses() {
    }

    public static boolean isIpv4(String text) {
        return isIpv4(text.toCharArray(), 0, text.length());
    }

    public static boolean isIpv6(String text) {
        return isIpv6(text.toCharArray(), 0, text.length());
    }

    /** Dotted quad, each part 0-255 without leading zeros. */
    static boolean isIpv4(char[] text, int from, int to) {
        int i = from;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= to || text[i] != '.') {
                    return false;
                }
                i++;
            }
            int end = octetEnd(text, i, to);
            if (end < 0) {
                return false;
            }
            i = end;
        }
        return i == to;
    }

    /** Where the octet starting at {@code i} ends, or -1 when there is none. */
    static int octetEnd(char[] text, int i, int to) {
        int start = i;
        int value = 0;
        while (i < to && isDigit(text[i]) && i - start < 3) {
            value = value * 10 + (text[i] - '0');
            i++;
        }
        int length = i - start;
        if (length == 0 || value > 255 || (length > 1 && text[start] == '0') || (i < to && isDigit(text[i]))) {
            return -1;
        }
        return i;
    }

    /** Eight groups of 1-4 hex digits split by colons, one {@code ::} for a run of zero groups, an IPv4 tail. */
    static boolean isIpv6(char[] text, int from, int to) {
        if (to - from < 2 || to - from > 45) {
            return false;
        }
        int groups = 0;
        boolean compressed = false;
        int i = from;
        if (text[i] == ':') {
            if (text[i + 1] != ':') {
                return false;
            }
            compressed = true;
            i += 2;
        }
        while (i < to) {
            int start = i;
            while (i < to && isHex(text[i]) && i - start < 5) {
                i++;
            }
            if (i < to && text[i] == '.') {
                if (!isIpv4(text, start, to)) {
                    return false;
                }
                groups += 2;
                break;
            }
            if (i == start || i - start > 4) {
                return false;
            }
            groups++;
            if (i == to) {
                break;
            }
            if (text[i] != ':') {
                return false;
            }
            i++;
            if (i < to && text[i] == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
            } else if (i == to) {
                return false;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }
}
