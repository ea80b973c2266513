package dev.mailtrail.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written id check agrees with the schemas' pattern it stands in for. */
class IdsProperties {

    private static final Pattern SCHEMA_PATTERN = Pattern.compile("^[A-Za-z0-9_-]{1,128}$");

    @Property(tries = 3000)
    void agreesWithTheSchemasPattern(@ForAll("candidates") String value) {
        assertThat(Ids.isValid(value)).isEqualTo(SCHEMA_PATTERN.matcher(value).matches());
    }

    @Example
    void nothingIsNotAnId() {
        assertThat(Ids.isValid(null)).isFalse();
        assertThat(Ids.isValid("")).isFalse();
    }

    /** Mostly valid characters around the length limit, sometimes one from just outside each range, or anything. */
    @Provide
    Arbitrary<String> candidates() {
        Arbitrary<String> nearlyValid = Arbitraries.strings()
                .withChars("azAZ09_-")
                .withChars("@[`{/:.+ \u00e9")
                .ofMinLength(0)
                .ofMaxLength(130);
        Arbitrary<String> valid = Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('A', 'Z')
                .withCharRange('0', '9')
                .withChars("_-")
                .ofMinLength(126)
                .ofMaxLength(130);
        return Arbitraries.oneOf(nearlyValid, valid, Arbitraries.strings().ofMaxLength(20));
    }
}
