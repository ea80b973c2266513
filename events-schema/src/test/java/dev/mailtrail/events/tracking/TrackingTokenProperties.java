package dev.mailtrail.events.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** No mutation of a token leads anywhere but its bound URL: it decodes to exactly the original, or not at all. */
class TrackingTokenProperties {

    final TrackingTokenCodec codec = new TrackingTokenCodec(TrackingKeys.parse(TrackingTokenCodecTests.OLD));

    @Property(tries = 500)
    void mutatedTokensNeverRedirectElsewhere(
            @ForAll("urls") String url,
            @ForAll @IntRange(min = 0, max = 500) int link,
            @ForAll @IntRange(min = -1, max = 149) int recipient,
            @ForAll("mutations") Mutation mutation) {
        TrackingToken original =
                TrackingToken.click("act-1", "t-1", link, url).forRecipient(recipient < 0 ? null : recipient);
        String token = codec.encode(original);

        Optional<TrackingToken> decoded = codec.decode(mutation.apply(token));

        decoded.ifPresent(t -> assertThat(t).isEqualTo(original));
    }

    @Property(tries = 300)
    void mutatedUnsubscribeTokensNeverUnsubscribeAnybodyElse(
            @ForAll("ids") String activityId,
            @ForAll("ids") String tenantId,
            @ForAll @IntRange(min = -1, max = 149) int recipient,
            @ForAll("mutations") Mutation mutation) {
        TrackingToken original =
                TrackingToken.unsubscribe(activityId, tenantId).forRecipient(recipient < 0 ? null : recipient);
        String token = codec.encode(original);

        assertThat(codec.decode(token)).contains(original);
        codec.decode(mutation.apply(token)).ifPresent(t -> assertThat(t).isEqualTo(original));
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().withChars("ABCxyz019_-").ofMinLength(1).ofMaxLength(128);
    }

    @Property(tries = 200)
    void randomStringsAreNeverTokens(@ForAll("garbage") String garbage) {
        assertThat(codec.decode(garbage)).isEmpty();
    }

    @Provide
    Arbitrary<String> urls() {
        return Arbitraries.strings()
                .withCharRange('!', '~')
                .ofMinLength(1)
                .ofMaxLength(200)
                .map(s -> "https://" + s);
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withChars("ABCabc019-_").ofMaxLength(300));
    }

    record Mutation(int position, int kind, char replacement) {
        String apply(String token) {
            int i = Math.floorMod(position, token.length());
            return switch (kind) {
                case 0 -> token.substring(0, i) + replacement + token.substring(i + 1);
                case 1 -> token.substring(0, i);
                case 2 -> token.substring(0, i) + replacement + token.substring(i);
                default -> token + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {(byte) position});
            };
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(0, 10_000),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.chars().with("ABCDEFabcdef0123456789-_"))
                .as(Mutation::new);
    }
}
