package dev.mailtrail.events.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class TrackingTokenCodecTests {

    static final String OLD =
            "old:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String NEW =
            "new:" + Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

    final TrackingTokenCodec codec = new TrackingTokenCodec(TrackingKeys.parse(OLD));
    final TrackingToken click = TrackingToken.click("act-1", "t-1", 3, "https://acme.test/pricing?plan=pro#top");

    @Test
    void roundTripsOpensAndClicks() {
        TrackingToken open = TrackingToken.open("act-1", null);

        assertThat(codec.decode(codec.encode(click))).contains(click);
        assertThat(codec.decode(codec.encode(open))).contains(open);
    }

    @Test
    void anUnsubscribeTokenRoundTripsPerRecipientAndIsNeverAnotherKind() {
        TrackingToken unsubscribe = TrackingToken.unsubscribe("act-1", "t-1");
        TrackingToken forSecond = unsubscribe.forRecipient(1);

        assertThat(codec.decode(codec.encode(unsubscribe))).contains(unsubscribe);
        assertThat(codec.decode(codec.encode(forSecond))).contains(forSecond);
        assertThat(codec.encode(unsubscribe))
                .isNotEqualTo(codec.encode(TrackingToken.open("act-1", "t-1")))
                .matches("[A-Za-z0-9_-]+");
        // the kind is signed: an open token's bytes with the kind byte changed are no unsubscribe token
        byte[] raw = Base64.getUrlDecoder().decode(codec.encode(TrackingToken.open("act-1", "t-1")));
        int kindAt = 2 + raw[1];
        raw[kindAt] = (byte) TrackingToken.Kind.UNSUBSCRIBE.ordinal();
        assertThat(codec.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(raw)))
                .isEmpty();
    }

    @Test
    void unsubscribeLinksSurviveKeyRotation() {
        TrackingToken unsubscribe = TrackingToken.unsubscribe("act-1", "t-1").forRecipient(2);
        String signedWithOld = codec.encode(unsubscribe);

        assertThat(new TrackingTokenCodec(TrackingKeys.parse(NEW + "," + OLD)).decode(signedWithOld))
                .contains(unsubscribe);
        assertThat(new TrackingTokenCodec(TrackingKeys.parse(NEW)).decode(signedWithOld))
                .isEmpty();
    }

    @Test
    void roundTripsReplyTokensWhichAreNeverOpensOrClicks() {
        TrackingToken reply = TrackingToken.reply("act-1", "t-1").forRecipient(2);

        assertThat(codec.decode(codec.encode(reply))).contains(reply);
        assertThat(codec.decode(codec.encode(reply)).orElseThrow().kind()).isEqualTo(TrackingToken.Kind.REPLY);
        assertThatThrownBy(() -> new TrackingToken(TrackingToken.Kind.REPLY, "act-1", "t-1", 0, "https://x.test/"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecipientsTokenIsVersion2AndTheOnlyMessagesStaysVersion1() {
        TrackingToken forSecond = click.forRecipient(1);

        String token = codec.encode(forSecond);

        assertThat(codec.decode(token)).contains(forSecond);
        assertThat(Base64.getUrlDecoder().decode(token)[0]).isEqualTo(TrackingTokenCodec.VERSION_WITH_RECIPIENT);
        assertThat(Base64.getUrlDecoder().decode(codec.encode(click))[0]).isEqualTo(TrackingTokenCodec.VERSION);
        assertThat(codec.decode(codec.encode(click)).orElseThrow().recipient()).isNull();
        assertThatThrownBy(() -> click.forRecipient(150)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isDeterministicCompactAndUrlSafe() {
        String token = codec.encode(click);

        assertThat(codec.encode(click)).isEqualTo(token);
        assertThat(token).matches("[A-Za-z0-9_-]+").hasSizeLessThan(120);
    }

    @Test
    void rejectsEverySingleByteFlip() {
        byte[] raw = Base64.getUrlDecoder().decode(codec.encode(click));
        for (int i = 0; i < raw.length; i++) {
            byte[] flipped = raw.clone();
            flipped[i] ^= 0x01;

            assertThat(codec.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(flipped)))
                    .as("byte %d flipped", i)
                    .isEmpty();
        }
    }

    @Test
    void rejectsTruncatedEmptyAndNonBase64Tokens() {
        String token = codec.encode(click);

        assertThat(codec.decode(token.substring(0, token.length() - 1))).isEmpty();
        assertThat(codec.decode(token.substring(0, 10))).isEmpty();
        assertThat(codec.decode("")).isEmpty();
        assertThat(codec.decode(null)).isEmpty();
        assertThat(codec.decode("not a token!")).isEmpty();
        assertThat(codec.decode("A".repeat(TrackingTokenCodec.MAX_TOKEN_CHARS + 1)))
                .isEmpty();
    }

    @Test
    void rotationKeepsOldLinksWorkingAndSignsWithTheFirstKey() {
        String signedWithOld = codec.encode(click);
        TrackingTokenCodec rotated = new TrackingTokenCodec(TrackingKeys.parse(NEW + "," + OLD));
        TrackingTokenCodec oldRetired = new TrackingTokenCodec(TrackingKeys.parse(NEW));

        assertThat(rotated.decode(signedWithOld)).contains(click);
        assertThat(rotated.encode(click)).isNotEqualTo(signedWithOld);
        assertThat(codec.decode(rotated.encode(click))).isEmpty();
        assertThat(oldRetired.decode(signedWithOld)).isEmpty();
    }

    @Test
    void aTokenFromAnotherKeyWithTheSameIdIsRejected() {
        String otherKeySameKid =
                "old:" + Base64.getEncoder().encodeToString("XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".getBytes());

        assertThat(codec.decode(new TrackingTokenCodec(TrackingKeys.parse(otherKeySameKid)).encode(click)))
                .isEmpty();
    }

    @Test
    void keysAreValidatedAtStartUp() {
        assertThatThrownBy(() -> TrackingKeys.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> TrackingKeys.parse("nokid")).hasMessageContaining("kid:base64key");
        assertThatThrownBy(() -> TrackingKeys.parse("k:!!!")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> TrackingKeys.parse("k:c2hvcnQ=")).hasMessageContaining("shorter than 16");
        assertThatThrownBy(() -> TrackingKeys.parse(OLD + "," + OLD)).hasMessageContaining("twice");
    }

    @Test
    void bindingsAreConsistent() {
        assertThatThrownBy(() -> TrackingToken.click("a", "t", -1, "https://x.test"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrackingToken(TrackingToken.Kind.OPEN, "a", "t", 0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrackingToken(TrackingToken.Kind.UNSUBSCRIBE, "a", "t", null, "https://x.test"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
