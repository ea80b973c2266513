package dev.mailtrail.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The hand-written timestamp path agrees with the formatter it stands in for. */
class WireTimestampsProperties {

    @Property(tries = 2000)
    void writesWhatTheFormatterWrites(@ForAll("instants") Instant instant) {
        assertThat(WireJson.format(instant)).isEqualTo(WireJson.TIMESTAMP.format(instant));
        assertThat(new String(WireJson.write(instant))).isEqualTo('"' + WireJson.TIMESTAMP.format(instant) + '"');
    }

    @Property(tries = 2000)
    void readsBackTheMillisecond(@ForAll("instants") Instant instant) {
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);

        assertThat(WireTimestamps.parse(WireJson.format(instant))).isEqualTo(millis);
        assertThat(WireJson.read(WireJson.write(instant), Instant.class)).isEqualTo(millis);
    }

    @Property(tries = 500)
    void otherFormsAreLeftToJackson(@ForAll("instants") Instant instant) {
        String micros = DateTimeFormatter.ISO_INSTANT.format(
                instant.truncatedTo(ChronoUnit.MICROS).plusNanos(1000));

        assertThat(WireJson.read(('"' + micros + '"').getBytes(), Instant.class))
                .isEqualTo(Instant.parse(micros));
    }

    @Property(tries = 1000)
    void readsEveryFractionLengthInBothUtcSuffixes(
            @ForAll("instants") Instant instant,
            @ForAll @IntRange(min = 0, max = 9) int fractionDigits,
            @ForAll boolean offsetSuffix) {
        String base = DateTimeFormatter.ISO_LOCAL_DATE_TIME
                .withZone(ZoneOffset.UTC)
                .format(instant.truncatedTo(ChronoUnit.SECONDS));
        String fraction = String.format("%09d", instant.getNano()).substring(0, fractionDigits);
        String text = base + (fractionDigits == 0 ? "" : "." + fraction) + (offsetSuffix ? "+00:00" : "Z");

        assertThat(WireJson.utcTimestamp(text))
                .isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @Example
    void impossibleDatesAndTimesAreNotTakenForOthers() {
        assertThat(WireTimestamps.parse("2026-02-30T10:15:30.123Z")).isNull();
        assertThat(WireTimestamps.parse("2026-11-26T24:00:00.000Z")).isNull();
        assertThat(WireTimestamps.parse("2026-11-26T10:60:00.000Z")).isNull();
        assertThat(WireTimestamps.parse("2026-11-26 10:15:30.123Z")).isNull();
        assertThat(WireTimestamps.parse("2026-1a-26T10:15:30.123Z")).isNull();
        assertThat(WireTimestamps.parse("2026-11-26T10:15:30.Z")).isNull();
        assertThat(WireTimestamps.parse("2026-11-26T10:15:30.1234567890Z")).isNull();
        assertThat(WireTimestamps.parse("2026-11-26T10:15:30.123+01:00")).isNull();
        assertThat(WireTimestamps.parse("2026-11-26T10:15Z")).isNull();
        assertThatThrownBy(() -> WireJson.read("\"2026-02-30T10:15:30.123Z\"".getBytes(), Instant.class))
                .hasMessageContaining("2026-02-30");
    }

    @Example
    void yearsBeyondFourDigitsUseTheFormatter() {
        Instant far = Instant.parse("+12026-11-26T10:15:30.123Z");

        assertThat(WireTimestamps.format(far)).isNull();
        assertThat(WireJson.format(far)).isEqualTo(WireJson.TIMESTAMP.format(far));
    }

    @Provide
    Arbitrary<Instant> instants() {
        // years 0001-9999 (the formatter writes year-of-era: year 0 would read back as year 1), with nanoseconds
        return Arbitraries.longs()
                .between(-62_135_596_800L, 253_402_300_799L)
                .flatMap(seconds -> Arbitraries.integers()
                        .between(0, 999_999_999)
                        .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    }
}
