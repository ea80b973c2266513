package dev.mailtrail.events.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** A list-valued secret carries the development value wherever it stands among real entries, however spaced. */
class DevSecretProperties {

    @Property(tries = 500)
    void aDevEntryAnywhereInAListIsFound(
            @ForAll DevSecret secret,
            @ForAll @Size(max = 4) List<@From("real") String> real,
            @ForAll("positions") int position,
            @ForAll("spaces") String space) {
        List<String> entries = new ArrayList<>(real);
        entries.add(Math.min(position, entries.size()), space + secret.value() + space);

        assertThat(secret.heldBy(String.join(",", entries))).isTrue();
    }

    @Property(tries = 500)
    void listsOfRealEntriesAreNeverTakenForTheDevValue(
            @ForAll DevSecret secret, @ForAll @Size(min = 1, max = 5) List<@From("real") String> real) {
        assertThat(secret.heldBy(String.join(",", real))).isFalse();
    }

    /** Entries shaped like the variables' own (kid:key, token:tenant, whsec_…), never a dev value's secret part. */
    @Provide
    Arbitrary<String> real() {
        // none of the dev values' secret parts can be spelt with these characters
        Arbitrary<String> word = Arbitraries.strings()
                .withChars("abcdefXYZ0123456789+/=_-")
                .ofMinLength(8)
                .ofMaxLength(44);
        return Arbitraries.oneOf(
                word, word.map(w -> "k1:" + w), word.map(w -> w + ":tenant-a"), word.map(w -> "whsec_" + w));
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 4);
    }

    @Provide
    Arbitrary<String> spaces() {
        return Arbitraries.of("", " ", "  ");
    }
}
