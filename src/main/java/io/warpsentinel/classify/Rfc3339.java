package io.warpsentinel.classify;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * RFC 3339 timestamps as the API writes them ({@code 2026-11-28T06:00:00.123456Z}), read
 * without java.time's formatter: that parser costs more than everything else done to a
 * registration together, and every registration has one or two timestamps. The fast path takes
 * only the canonical shape (seconds present, a fraction of any length, {@code Z} or a {@code
 * ±hh:mm} offset); anything else, such as a space for the {@code T} or an offset with seconds,
 * goes to {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, so both paths agree on every input
 * (Rfc3339Test compares them). A fraction's digits past the ninth are dropped: an instant holds
 * nanoseconds.
 */
final class Rfc3339 {

    private static final int SECONDS_PER_DAY = 86_400;
    // a fraction's digits past the ninth, which java.time refuses
    private static final Pattern BEYOND_NANOSECONDS = Pattern.compile("(:\\d\\d\\.\\d{9})\\d+");

    private Rfc3339() {
    }

    /** The instant, or null when {@code text} is not an RFC 3339 timestamp. */
    static Instant parse(String text) {
        Instant fast = canonical(text);
        return fast != null ? fast : slow(text);
    }

    /** Null when the text is not in the canonical shape (it may still be valid: the slow path decides). */
    static Instant canonical(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        char t = text.charAt(10);
        if (t != 'T' && t != 't') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && at - start < 9 && isDigit(text.charAt(at))) {
                nanos = nanos * 10 + text.charAt(at++) - '0';
            }
            int count = at - start;
            if (count == 0) {
                return null;
            }
            // RFC 3339 sets no limit to the fraction's digits; an instant keeps nine
            while (at < length && isDigit(text.charAt(at))) {
                at++;
            }
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (at >= length) {
            return null;
        }
        int offsetSeconds;
        char zone = text.charAt(at);
        if ((zone == 'Z' || zone == 'z') && at + 1 == length) {
            offsetSeconds = 0;
        } else if ((zone == '+' || zone == '-') && at + 6 == length && text.charAt(at + 3) == ':') {
            int offsetHours = digits(text, at + 1, 2);
            int offsetMinutes = digits(text, at + 4, 2);
            if ((offsetHours | offsetMinutes) < 0 || offsetMinutes > 59 || offsetHours > 18 || offsetHours == 18 && offsetMinutes > 0) {
                return null;
            }
            offsetSeconds = (zone == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException impossibleDate) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /** RFC 3339 also allows lower-case {@code t}/{@code z} and a space between date and time. */
    static Instant slow(String text) {
        String value = text.strip().toUpperCase(Locale.ROOT);
        if (value.length() > 10 && value.charAt(10) == ' ') {
            value = value.substring(0, 10) + 'T' + value.substring(11);
        }
        value = BEYOND_NANOSECONDS.matcher(value).replaceFirst("$1");
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The decimal number in {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + c - '0';
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
