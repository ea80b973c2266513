package dev.mailtrail.send.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.WireText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** A cursor reads back as written; anything else a caller sends is refused, never an exception or a wild value. */
class PageCursorProperties {

    @Property(tries = 300)
    void whatTheApiWritesReadsBack(
            @ForAll @LongRange(min = 0, max = 253_402_300_799_999L) long millis,
            @ForAll("ids") String id,
            @ForAll boolean sent) {
        PageCursor cursor = new PageCursor(sent ? Instant.ofEpochMilli(millis) : null, id);

        assertThat(PageCursor.decode(cursor.encode())).contains(cursor);
    }

    @Property(tries = 1000)
    void anythingElseIsRefusedOrAsSafeAsOneTheApiWrote(@ForAll("tampered") String raw) {
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));

        Optional<PageCursor> read = PageCursor.decode(cursor);

        read.ifPresent(c -> {
            assertThat(c.id()).isNotEmpty().hasSizeLessThanOrEqualTo(PageCursor.ID_MAX);
            assertThat(WireText.firstForbidden(c.id(), false)).isNegative();
            assertThat(c.at() == null || WireJson.inRange(c.at())).isTrue();
        });
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().withChars("abcXYZ019_-").ofMinLength(1).ofMaxLength(128);
    }

    /** Near misses of the format as much as noise: odd times, odd ids, bars, controls, overflowing numbers. */
    @Provide
    Arbitrary<String> tampered() {
        Arbitrary<String> time = Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf), Arbitraries.of("-", "", "9223372036854775808", "1e9", " 1"));
        Arbitrary<String> id = Arbitraries.oneOf(ids(), Arbitraries.strings().ofMaxLength(200));
        return Arbitraries.oneOf(
                time.flatMap(t -> id.map(i -> t + "|" + i)),
                Arbitraries.strings().ofMaxLength(60));
    }
}
