package dev.mailtrail.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The wire's timestamp form, {@code 2026-11-26T10:15:30.123Z}, written and read by hand: every event and state
 * carries several, and {@link java.time.format.DateTimeFormatter} was a tenth of the projection's CPU. Only plain
 * UTC forms for years 0001–9999 take this path; anything else answers null here and goes through
 * {@link WireJson#TIMESTAMP} or Jackson's own reader, so behaviour is the formatter's.
 */
final class WireTimestamps {

    private static final int LENGTH = 24;
    private static final int SECONDS_PER_DAY = 86_400;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private WireTimestamps() {}

    /** The canonical form (fraction truncated to milliseconds), or null outside years 0001–9999 (the formatter writes year-of-era). */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        if (date.getYear() < 1 || date.getYear() > 9999) {
            return null;
        }
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        char[] out = new char[LENGTH];
        digits(out, 0, 4, date.getYear());
        out[4] = '-';
        digits(out, 5, 2, date.getMonthValue());
        out[7] = '-';
        digits(out, 8, 2, date.getDayOfMonth());
        out[10] = 'T';
        digits(out, 11, 2, secondOfDay / 3600);
        out[13] = ':';
        digits(out, 14, 2, secondOfDay / 60 % 60);
        out[16] = ':';
        digits(out, 17, 2, secondOfDay % 60);
        out[19] = '.';
        digits(out, 20, 3, instant.getNano() / 1_000_000);
        out[23] = 'Z';
        return new String(out);
    }

    /**
     * The instant of a UTC timestamp {@code yyyy-MM-ddTHH:mm:ss[.f…]} ending in {@code Z} or {@code +00:00} (the
     * canonical form and Resend's two), else null: another form, or no such date.
     */
    static Instant parse(String text) {
        int length = text.length();
        int zone = text.endsWith("Z") ? length - 1 : text.endsWith("+00:00") ? length - 6 : -1;
        if (zone < 19
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int nanos = 0;
        if (zone > 19) {
            int fractionDigits = zone - 20;
            if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            int fraction = number(text, 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * POWERS_OF_TEN[9 - fractionDigits];
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 1
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        try {
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
        } catch (DateTimeException noSuchDate) {
            return null;
        }
    }

    private static void digits(char[] out, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The decimal number of these characters, or -1 when one is not a digit. */
    private static int number(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
