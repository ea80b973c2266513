package dev.mailtrail.events;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** What {@link WireText} lets through, and what its cleaning keeps, for any text around the edges it guards. */
class WireTextProperties {

    @Property(tries = 3000)
    void findsExactlyTheCharactersAReferenceByCodePointRefuses(
            @ForAll("text") String value, @ForAll boolean lineBreaks) {
        assertThat(WireText.firstForbidden(value, lineBreaks)).isEqualTo(reference(value, lineBreaks));
    }

    @Property(tries = 3000)
    void aSanitizedValueIsCleanShortEnoughAndKeepsEveryAllowedCharacterInPlace(
            @ForAll("text") String value, @ForAll @IntRange(min = 0, max = 40) int max) {
        String clean = WireText.sanitize(value, max);
        assertThat(WireText.firstForbidden(clean, false)).isEqualTo(-1);
        assertThat(clean.length()).isLessThanOrEqualTo(max);
        // cut only where a pair would be split, one char short at most
        assertThat(clean.length()).isGreaterThanOrEqualTo(Math.min(value.length(), max) - 1);
        for (int i = 0; i < clean.length(); i++) {
            if (clean.charAt(i) != WireText.REPLACEMENT) {
                assertThat(clean.charAt(i)).isEqualTo(value.charAt(i));
            }
        }
    }

    @Property(tries = 1000)
    void cleanTextWithinTheLimitIsLeftAlone(@ForAll("clean") String value) {
        assertThat(WireText.sanitize(value, value.length())).isSameAs(value);
    }

    @Example
    void theCasesThatStoppedTheProjection() {
        assertThat(WireText.sanitize("Hi\u0000there", 998)).isEqualTo("Hi\uFFFDthere");
        assertThat(WireText.sanitize("a\uD800b", 998)).isEqualTo("a\uFFFDb");
        assertThat(WireText.sanitize("\uD83D\uDE00x", 1)).isEmpty();
        assertThat(WireText.firstForbidden("line\r\n\tbody", true)).isEqualTo(-1);
        assertThat(WireText.firstForbidden("line\r\n\tbody", false)).isEqualTo(4);
        assertThat(WireText.sanitize(null, 3)).isNull();
    }

    private static int reference(String value, boolean lineBreaks) {
        int i = 0;
        while (i < value.length()) {
            int cp = value.codePointAt(i);
            boolean lineBreak = cp == '\t' || cp == '\r' || cp == '\n';
            if ((cp < 0x20 && !(lineBreaks && lineBreak)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** Controls, line breaks, lone and paired surrogates, and ordinary text. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofLength(1),
                Arbitraries.strings().withCharRange('\uD800', '\uDFFF').ofLength(1),
                Arbitraries.just("\uD83D\uDE00"),
                Arbitraries.strings()
                        .withCharRange(' ', '~')
                        .withChars("\u00e9\u4e2d\uFFFD")
                        .ofMinLength(1)
                        .ofMaxLength(8));
        return pieces.list().ofMaxSize(12).map(list -> String.join("", list));
    }

    @Provide
    Arbitrary<String> clean() {
        return text().filter(s -> WireText.firstForbidden(s, false) < 0);
    }
}
