package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The hand-written IMF-fixdate parser gives what the formatter gives, and declines the rest. */
class HttpDatesTest {

    @Test
    void agreesWithTheFormatterWhereItAnswers() {
        String[] values = {"Sun, 06 Nov 1994 08:49:37 GMT", "Thu, 29 Feb 2024 23:59:59 GMT", "Mon, 01 Jan 2024 00:00:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT", "Tue, 31 Dec 2024 23:59:59 GMT", "Sat, 30 Nov 2024 08:49:37 GMT", "Wed, 15 May 2024 12:30:45 GMT", "Sat, 28 Feb 2026 10:00:00 GMT",
            "Sun, 06 Dec 2026 18:45:00 GMT"};
        for (String v : values) {
            assertEquals(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(), HttpDates.parseImfFixdate(v), v);
            assertEquals(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(), Conditions.date(v), v);
        }
    }

    @Test
    void declinesWhatItDoesNotKnowAndConditionsStillDecide() {
        String[] declined = {"Mon, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994", "Fri, 30 Feb 2024 08:49:37 GMT", "Xun, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:3x GMT", "ThuX 29 Feb 2024 23:59:59 GMT", "unN, 06 Nov 1994 08:49:37 GMT"};
        for (String v : declined) {
            assertEquals(null, HttpDates.parseImfFixdate(v), v);
        }
        // what the formatter alone decided before
        assertEquals(Instant.parse("1994-11-06T08:49:37Z"), Conditions.date("Sun, 6 Nov 1994 08:49:37 GMT"));
        assertEquals(Instant.parse("2024-11-30T08:49:37Z"), Conditions.date("Sat, 30 Nov 2024 08:49:37 GMT"));
        assertEquals(formatterOrNull("Fri, 30 Feb 2024 08:49:37 GMT"), Conditions.date("Fri, 30 Feb 2024 08:49:37 GMT"));
        assertEquals(null, Conditions.date("Mon, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(Instant.parse("2024-01-02T03:04:05Z"), Conditions.date("2024-01-02T03:04:05Z"));
        assertEquals(null, Conditions.date("yesterday"));
    }

    private static Instant formatterOrNull(String v) {
        try {
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
