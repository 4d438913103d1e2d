package dev.sseproxy.api;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The one HTTP date form servers send ({@code IMF-fixdate}, RFC 9110 §5.6.7:
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}) parsed without a {@code DateTimeFormatter}: every GET
 * reads the backend's {@code Last-Modified}. Anything else (other forms, other spacing, an
 * impossible date, a day name that does not match) gives null, and the caller's formatter decides.
 */
final class HttpDates {
    private static final String DAYS = "MonTueWedThuFriSatSun";
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private HttpDates() {
    }

    static Instant parseImfFixdate(String v) {
        if (v.length() != 29 || v.charAt(3) != ',' || v.charAt(4) != ' ' || v.charAt(7) != ' ' || v.charAt(11) != ' '
                || v.charAt(16) != ' ' || v.charAt(19) != ':' || v.charAt(22) != ':' || v.charAt(25) != ' '
                || !v.endsWith("GMT")) {
            return null;
        }
        int month = MONTHS.indexOf(v.substring(8, 11));
        int dayName = DAYS.indexOf(v.substring(0, 3));
        int day = digits(v, 5, 2);
        int year = digits(v, 12, 4);
        int hour = digits(v, 17, 2);
        int minute = digits(v, 20, 2);
        int second = digits(v, 23, 2);
        if (month < 0 || month % 3 != 0 || dayName < 0 || dayName % 3 != 0 || day < 1 || day > 31 || year < 0
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        LocalDateTime t;
        try {
            t = LocalDateTime.of(year, month / 3 + 1, day, hour, minute, second);
        } catch (java.time.DateTimeException impossible) { // 30 February: the formatter decides
            return null;
        }
        if (t.getDayOfWeek().getValue() != dayName / 3 + 1) {
            return null;
        }
        return t.toInstant(ZoneOffset.UTC);
    }

    /** The decimal value of {@code count} ASCII digits, or -1. */
    private static int digits(String v, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
