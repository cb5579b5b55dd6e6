package dev.sluice.pipelines.internal.detective;

import dev.sluice.pipelines.internal.detective.pii.Addresses;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.YearMonth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The format checks: whether a whole string is a timestamp, a UUID, an address, a URL, a version... */
final class Formats {
    private static final Pattern RFC3339 = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d+)?(?:[Zz]|[+-](\\d{2}):(\\d{2}))");

    private static final String NUMERIC_ID = "(?:0|[1-9][0-9]*)";
    private static final String PRE_RELEASE_ID = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
    private static final String BUILD_ID = "[0-9A-Za-z-]+";
    private static final Pattern SEMVER = Pattern.compile(NUMERIC_ID + "\\." + NUMERIC_ID + "\\." + NUMERIC_ID
            + "(?:-" + PRE_RELEASE_ID + "(?:\\." + PRE_RELEASE_ID + ")*)?"
            + "(?:\\+" + BUILD_ID + "(?:\\." + BUILD_ID + ")*)?");

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    /** 1973-03-03 to 2100-01-01, in seconds and in milliseconds: the two ranges do not overlap. */
    private static final BigDecimal MIN_SECONDS = new BigDecimal("100000000");
    private static final BigDecimal MAX_SECONDS = new BigDecimal("4102444800");
    private static final BigDecimal MIN_MILLIS = new BigDecimal("100000000000");
    private static final BigDecimal MAX_MILLIS = new BigDecimal("4102444800000");

    private Formats() {
    }

    /** RFC 3339 date-time: seconds required, fraction optional, {@code Z} or a {@code +hh:mm} offset. */
    static boolean isRfc3339(String text) {
        Matcher m = RFC3339.matcher(text);
        if (!m.matches()) {
            return false;
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        if (month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return false;
        }
        if (Integer.parseInt(m.group(4)) > 23 || Integer.parseInt(m.group(5)) > 59
                || Integer.parseInt(m.group(6)) > 60) {
            return false;
        }
        return m.group(7) == null || (Integer.parseInt(m.group(7)) <= 23 && Integer.parseInt(m.group(8)) <= 59);
    }

    /** Seconds or milliseconds since the epoch, between 1973 and 2100. */
    static boolean isUnixTime(BigDecimal value) {
        return (value.compareTo(MIN_SECONDS) >= 0 && value.compareTo(MAX_SECONDS) <= 0)
                || (value.compareTo(MIN_MILLIS) >= 0 && value.compareTo(MAX_MILLIS) <= 0);
    }

    /** A string of digits with an optional fraction, as a number; null for anything else. */
    static BigDecimal decimalDigits(String text) {
        int dot = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' && dot < 0 && i > 0 && i < text.length() - 1) {
                dot = i;
            } else if (c < '0' || c > '9') {
                return null;
            }
        }
        return text.isEmpty() ? null : new BigDecimal(text);
    }

    /** 8-4-4-4-12 hex digits, any version, either case. */
    static boolean isUuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !isHex(c)) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv4(String text) {
        return Addresses.isIpv4(text);
    }

    static boolean isIpv6(String text) {
        return Addresses.isIpv6(text);
    }

    /** Six hex pairs split by colons or by dashes ({@code 00:1a:2b:3c:4d:5e}), or three dotted quads of hex. */
    static boolean isMacAddress(String text) {
        if (text.length() == 17) {
            char separator = text.charAt(2);
            if (separator != ':' && separator != '-') {
                return false;
            }
            for (int i = 0; i < 17; i++) {
                char c = text.charAt(i);
                if (i % 3 == 2 ? c != separator : !isHex(c)) {
                    return false;
                }
            }
            return true;
        }
        if (text.length() == 14) {
            for (int i = 0; i < 14; i++) {
                char c = text.charAt(i);
                if (i % 5 == 4 ? c != '.' : !isHex(c)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** An absolute URL with a scheme and a host ({@code https://example.com/x}); {@code mailto:} has no host. */
    static boolean isUrl(String text) {
        try {
            URI uri = new URI(text);
            return uri.getScheme() != null && SCHEME.matcher(uri.getScheme()).matches() && uri.getHost() != null
                    && !uri.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * An RFC 1123 host name: dot-separated labels of 1-63 letters, digits and inner dashes, 253 characters at most,
     * a trailing dot allowed. A last label of digits only is refused, so an IPv4 address is not a host name.
     */
    static boolean isHostname(String text) {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        boolean lastAllDigits = false;
        int start = 0;
        while (start <= name.length()) {
            int end = name.indexOf('.', start);
            if (end < 0) {
                end = name.length();
            }
            int length = end - start;
            if (length == 0 || length > 63 || name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
                return false;
            }
            lastAllDigits = true;
            for (int i = start; i < end; i++) {
                char c = name.charAt(i);
                boolean digit = c >= '0' && c <= '9';
                if (!digit && !isLetter(c) && c != '-') {
                    return false;
                }
                lastAllDigits &= digit;
            }
            start = end + 1;
        }
        return !lastAllDigits;
    }

    /** Semantic Versioning 2.0.0: {@code 1.2.3}, {@code 1.0.0-rc.1+build.5}; no {@code v} prefix. */
    static boolean isSemver(String text) {
        return SEMVER.matcher(text).matches();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
