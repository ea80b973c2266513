package dev.mailtrail.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The two timestamp spellings Resend uses on the wire; receivers must accept both. */
public final class ResendTimes {

    private static final DateTimeFormatter MILLIS_Z =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROS_OFFSET =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    private ResendTimes() {}

    /** {@code 2024-02-22T23:41:12.126Z}: the webhook envelope's {@code created_at}. */
    public static String millisZ(Instant instant) {
        return MILLIS_Z.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** {@code 2024-02-22T23:41:11.894719+00:00}: an email's {@code created_at} (API and webhook {@code data}). */
    public static String microsOffset(Instant instant) {
        return MICROS_OFFSET.format(instant.truncatedTo(ChronoUnit.MICROS));
    }
}
