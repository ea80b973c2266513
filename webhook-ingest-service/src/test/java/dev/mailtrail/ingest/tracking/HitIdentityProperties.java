package dev.mailtrail.ingest.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.ingest.client.Classifiers;
import dev.mailtrail.ingest.client.ClientHit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A hit's id is a function of its token, dedupe window and every input of its classification: identical inputs
 * (however the hint headers came ordered) give one id, inputs that differ in any one of them give two.
 */
class HitIdentityProperties {

    /** Everything the id is made of; {@code client} as the edge holds it, cleaned. */
    record Inputs(String kind, String token, long window, String ipHash, ClientHit client) {

        String id() {
            return HitIdentity.of(kind, token, window, ipHash, client);
        }
    }

    @Property(tries = 1000)
    void identicalInputsGiveOneIdWhateverTheOrderOfTheHints(@ForAll("inputs") Inputs inputs, @ForAll Random random) {
        List<Map.Entry<String, String>> hints =
                new ArrayList<>(inputs.client().hints().entrySet());
        Collections.shuffle(hints, random);
        Map<String, String> reordered = new LinkedHashMap<>();
        hints.forEach(h -> reordered.put(new String(h.getKey()), new String(h.getValue())));
        ClientHit same = new ClientHit(
                copy(inputs.client().method()),
                copy(inputs.client().userAgent()),
                copy(inputs.client().ip()),
                reordered);

        assertThat(new Inputs(inputs.kind(), copy(inputs.token()), inputs.window(), copy(inputs.ipHash()), same).id())
                .isEqualTo(inputs.id());
    }

    @Property(tries = 2000)
    void inputsThatDifferInAnyOneOfThemGiveAnotherId(
            @ForAll("inputs") Inputs inputs, @ForAll("changes") Change change, @ForAll("text") String other) {
        Inputs changed = change.apply(inputs, other);
        Assume.that(!changed.equals(inputs));
        Statistics.label("changed").collect(change);

        assertThat(changed.id()).as("%s changed to %s", change, changed).isNotEqualTo(inputs.id());
    }

    @Property(tries = 1000)
    void anyTwoDifferentInputsGiveTwoIds(@ForAll("inputs") Inputs a, @ForAll("inputs") Inputs b) {
        Assume.that(!a.equals(b));

        assertThat(a.id()).isNotEqualTo(b.id());
    }

    @Example
    void aPrefetchAndThePersonsOwnOpenFromOneClientInOneWindowAreTwoFactsAndARepeatIsOne() {
        String agent = Classifiers.SAFARI;
        ClientHit prefetch = new ClientHit("GET", agent, "198.51.100.7", Map.of("sec-purpose", "prefetch"));
        ClientHit person = new ClientHit("GET", agent, "198.51.100.7", Map.of());

        String prefetched = HitIdentity.of("open", "tok", 7, "ip-hash", prefetch);
        String opened = HitIdentity.of("open", "tok", 7, "ip-hash", person);

        assertThat(prefetched).startsWith("open:").isNotEqualTo(opened);
        assertThat(HitIdentity.of("open", "tok", 7, "ip-hash", ClientHit.get(agent, "198.51.100.7")))
                .isEqualTo(opened);
        assertThat(HitIdentity.of("open", "tok", 8, "ip-hash", person)).isNotEqualTo(opened);
    }

    /** One input of the id replaced by another value. */
    enum Change {
        KIND,
        TOKEN,
        WINDOW,
        IP_HASH,
        METHOD,
        AGENT,
        HINT_ADDED_OR_CHANGED,
        HINT_REMOVED;

        Inputs apply(Inputs in, String other) {
            ClientHit c = in.client();
            return switch (this) {
                case KIND ->
                    new Inputs(in.kind().equals("open") ? "click" : "open", in.token(), in.window(), in.ipHash(), c);
                case TOKEN -> new Inputs(in.kind(), other, in.window(), in.ipHash(), c);
                case WINDOW -> new Inputs(in.kind(), in.token(), in.window() + 1, in.ipHash(), c);
                case IP_HASH -> new Inputs(in.kind(), in.token(), in.window(), other, c);
                case METHOD -> with(in, new ClientHit(other, c.userAgent(), c.ip(), c.hints()));
                case AGENT -> with(in, new ClientHit(c.method(), other, c.ip(), c.hints()));
                case HINT_ADDED_OR_CHANGED -> {
                    Map<String, String> hints = new HashMap<>(c.hints());
                    hints.put(ClientHit.HINT_HEADERS.get(Math.floorMod(other.hashCode(), 4)), other);
                    yield with(in, new ClientHit(c.method(), c.userAgent(), c.ip(), hints));
                }
                case HINT_REMOVED -> {
                    Map<String, String> hints = new HashMap<>(c.hints());
                    hints.keySet().stream().sorted().findFirst().ifPresent(hints::remove);
                    yield with(in, new ClientHit(c.method(), c.userAgent(), c.ip(), hints));
                }
            };
        }

        private static Inputs with(Inputs in, ClientHit client) {
            return new Inputs(in.kind(), in.token(), in.window(), in.ipHash(), client);
        }
    }

    @Provide
    Arbitrary<Change> changes() {
        return Arbitraries.of(Change.class);
    }

    /**
     * Short text over an alphabet rich in what could confuse a naive join: separators, digits, empty strings,
     * controls (cleaned by {@link ClientHit}), non-ASCII.
     */
    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withChars("ab|:=,;0 \u0000\t\u00e9\u4e2d").ofMaxLength(6);
    }

    @Provide
    Arbitrary<Inputs> inputs() {
        Arbitrary<Map<String, String>> hints = Arbitraries.maps(Arbitraries.of(ClientHit.HINT_HEADERS), text())
                .ofMaxSize(ClientHit.HINT_HEADERS.size());
        Arbitrary<ClientHit> client = Combinators.combine(
                        Arbitraries.of("GET", "HEAD", "get").injectNull(0.05),
                        text().injectNull(0.1),
                        // the address is in the id only hashed: ipHash below
                        Arbitraries.just("198.51.100.7"),
                        hints)
                .as(ClientHit::new);
        return Combinators.combine(
                        Arbitraries.of("open", "click"),
                        text(),
                        Arbitraries.longs().between(0, 3),
                        text().injectNull(0.1),
                        client)
                .as(Inputs::new);
    }

    private static String copy(String value) {
        return value == null ? null : new String(value);
    }
}
