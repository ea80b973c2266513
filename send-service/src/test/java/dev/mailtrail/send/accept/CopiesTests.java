package dev.mailtrail.send.accept;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.send.tracking.EmailTracking;
import dev.mailtrail.send.tracking.HtmlRewriter;
import dev.mailtrail.send.tracking.HtmlRewriterTests;
import dev.mailtrail.send.tracking.ReplyAddresses;
import dev.mailtrail.send.tracking.UnsubscribeHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CopiesTests {

    static final String HTML = "<p>Hi <a href=\"https://acme.test/pricing\">pricing</a></p>";

    final EmailTracking tracking = new EmailTracking(
            new HtmlRewriter(HtmlRewriterTests.CODEC, "https://t.acme.test"), false, new SimpleMeterRegistry());
    final UnsubscribeHeaders noUnsubscribe =
            new UnsubscribeHeaders(HtmlRewriterTests.CODEC, "https://t.acme.test/", false);
    final ReplyAddresses noReplies = new ReplyAddresses(HtmlRewriterTests.CODEC, null, Set.of());

    @Test
    void aTrackedEmailToSeveralIsOneMessageEachToThatAddressAloneBccUntrackedDuplicatesOnce() {
        Copies copies = Copies.of(
                command(
                        List.of("a@x.test", "Bee <b@x.test>"),
                        List.of("c@x.test", "B@X.test"),
                        List.of("d@x.test", "A@x.test"),
                        true),
                tracking,
                noUnsubscribe,
                noReplies);

        assertThat(copies.perRecipient()).isTrue();
        assertThat(copies.recipients()).containsExactly("a@x.test", "b@x.test", "c@x.test", "d@x.test");
        assertThat(copies.openTracking()).isEqualTo(OpenTracking.TRACKED);
        List<JsonNode> bodies = copies.messages().stream()
                .map(m -> WireJson.mapper().readTree(m.email()))
                .toList();
        assertThat(copies.messages()).extracting(Copies.Copy::index).containsExactly(0, 1, 2, 3);
        assertThat(bodies)
                .extracting(b -> b.at("/to").toString())
                .containsExactly("[\"a@x.test\"]", "[\"Bee <b@x.test>\"]", "[\"c@x.test\"]", "[\"d@x.test\"]");
        assertThat(bodies)
                .allSatisfy(b -> assertThat(b.has("cc") || b.has("bcc")).isFalse());
        assertThat(bodies)
                .extracting(b -> b.at("/tags/2").toString())
                .containsExactly(
                        "{\"name\":\"recipient_index\",\"value\":\"0\"}",
                                "{\"name\":\"recipient_index\",\"value\":\"1\"}",
                        "{\"name\":\"recipient_index\",\"value\":\"2\"}",
                                "{\"name\":\"recipient_index\",\"value\":\"3\"}");
        for (int i = 0; i < 3; i++) {
            int recipient = i;
            assertThat(tokens(bodies.get(i).at("/html").asString()))
                    .as("message %d", i)
                    .isNotEmpty()
                    .allSatisfy(t -> assertThat(t.recipient()).isEqualTo(recipient));
        }
        assertThat(bodies.get(3).at("/html").asString()).as("the blind copy").isEqualTo(HTML);
    }

    @Test
    void untrackedOrSingleRecipientEmailsAreOneMessageAsWritten() {
        Copies untracked = Copies.of(
                command(List.of("a@x.test", "b@x.test"), List.of("c@x.test"), List.of(), false),
                tracking,
                noUnsubscribe,
                noReplies);
        Copies alone = Copies.of(
                command(List.of("a@x.test"), List.of(), List.of("A@x.test"), true), tracking, noUnsubscribe, noReplies);

        assertThat(untracked.perRecipient()).isFalse();
        assertThat(untracked.messages())
                .singleElement()
                .extracting(Copies.Copy::index)
                .isEqualTo(0);
        assertThat(WireJson.mapper()
                        .readTree(untracked.messages().get(0).email())
                        .at("/cc")
                        .toString())
                .isEqualTo("[\"c@x.test\"]");
        assertThat(untracked.recipients()).containsExactly("a@x.test", "b@x.test");
        assertThat(alone.perRecipient()).isFalse();
        assertThat(tokens(WireJson.mapper()
                        .readTree(alone.messages().get(0).email())
                        .at("/html")
                        .asString()))
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.recipient()).isNull());
    }

    @Test
    void withUnsubscribeEachMessageCarriesBothHeadersWithATokenNamingItsRecipientBccIncluded() {
        SendEmailCommand asked = command(List.of("a@x.test", "b@x.test"), List.of(), List.of("d@x.test"), true)
                .withUnsubscribe(true);

        List<JsonNode> bodies = Copies.of(asked, tracking, noUnsubscribe, noReplies).messages().stream()
                .map(m -> WireJson.mapper().readTree(m.email()))
                .toList();

        assertThat(bodies).hasSize(3);
        for (int i = 0; i < bodies.size(); i++) {
            JsonNode headers = bodies.get(i).get("headers");
            assertThat(headers.propertyNames())
                    .containsExactly(UnsubscribeHeaders.LIST_UNSUBSCRIBE, UnsubscribeHeaders.LIST_UNSUBSCRIBE_POST);
            assertThat(headers.get(UnsubscribeHeaders.LIST_UNSUBSCRIBE_POST).asString())
                    .isEqualTo("List-Unsubscribe=One-Click");
            assertThat(unsubscribeToken(headers))
                    .as("message %d", i)
                    .isEqualTo(TrackingToken.unsubscribe("act-1", "t-1").forRecipient(i));
        }
    }

    @Test
    void theDefaultDecidesOnlyWhatTheRequestLeavesOpen() {
        UnsubscribeHeaders onByDefault = new UnsubscribeHeaders(HtmlRewriterTests.CODEC, "https://t.acme.test", true);
        SendEmailCommand silent = command(List.of("a@x.test", "b@x.test"), List.of(), List.of(), false);

        JsonNode byDefault = only(Copies.of(silent, tracking, onByDefault, noReplies));
        JsonNode refused = only(Copies.of(silent.withUnsubscribe(false), tracking, onByDefault, noReplies));
        JsonNode neither = only(Copies.of(silent, tracking, noUnsubscribe, noReplies));

        assertThat(unsubscribeToken(byDefault.get("headers"))).isEqualTo(TrackingToken.unsubscribe("act-1", "t-1"));
        assertThat(refused.has("headers")).isFalse();
        assertThat(neither.has("headers")).isFalse();
        assertThat(Copies.of(silent, tracking, onByDefault, noReplies)
                        .messages()
                        .get(0)
                        .email())
                .as("computed once, the same bytes every time")
                .isEqualTo(Copies.of(silent, tracking, onByDefault, noReplies)
                        .messages()
                        .get(0)
                        .email());
    }

    @Test
    void withAReplyDomainEachMessageRepliesToASignedAddressNamingItsRecipientTheSendersOwnKeptUnlessReplaced() {
        ReplyAddresses replies = new ReplyAddresses(HtmlRewriterTests.CODEC, "r.acme.test", Set.of("t-other"));
        SendEmailCommand several = command(List.of("a@x.test", "b@x.test"), List.of(), List.of(), true);

        List<TrackingToken> tokens = Copies.of(several, tracking, noUnsubscribe, replies).messages().stream()
                .map(m -> replyToken(WireJson.mapper().readTree(m.email())))
                .toList();
        JsonNode single = only(
                Copies.of(command(List.of("a@x.test"), List.of(), List.of(), false), tracking, noUnsubscribe, replies));
        SendEmailCommand own =
                command(List.of("a@x.test"), List.of(), List.of(), false).withReplyTo("Desk <desk@acme.test>");
        JsonNode kept = only(Copies.of(own, tracking, noUnsubscribe, replies));
        JsonNode replaced = only(Copies.of(
                own,
                tracking,
                noUnsubscribe,
                new ReplyAddresses(HtmlRewriterTests.CODEC, "r.acme.test", Set.of("t-1"))));

        assertThat(tokens)
                .containsExactly(
                        TrackingToken.reply("act-1", "t-1").forRecipient(0),
                        TrackingToken.reply("act-1", "t-1").forRecipient(1));
        assertThat(replyToken(single)).isEqualTo(TrackingToken.reply("act-1", "t-1"));
        assertThat(kept.get("reply_to").asString()).isEqualTo("Desk <desk@acme.test>");
        assertThat(replyToken(replaced)).isEqualTo(TrackingToken.reply("act-1", "t-1"));
        assertThat(only(Copies.of(own, tracking, noUnsubscribe, noReplies))
                        .get("reply_to")
                        .asString())
                .as("no reply domain: as the sender wrote")
                .isEqualTo("Desk <desk@acme.test>");
    }

    /** The token of {@code reply_to: reply+{token}@r.acme.test}. */
    private static TrackingToken replyToken(JsonNode email) {
        String value = email.get("reply_to").asString();
        assertThat(value).startsWith("reply+").endsWith("@r.acme.test");
        return HtmlRewriterTests.CODEC
                .decode(value.substring("reply+".length(), value.length() - "@r.acme.test".length()))
                .orElseThrow();
    }

    private static JsonNode only(Copies copies) {
        return WireJson.mapper().readTree(copies.messages().get(0).email());
    }

    /** The token of {@code List-Unsubscribe: <https://t.acme.test/u/{token}>}. */
    private static TrackingToken unsubscribeToken(JsonNode headers) {
        String value = headers.get(UnsubscribeHeaders.LIST_UNSUBSCRIBE).asString();
        assertThat(value).startsWith("<https://t.acme.test/u/").endsWith(">");
        return HtmlRewriterTests.CODEC
                .decode(value.substring("<https://t.acme.test/u/".length(), value.length() - 1))
                .orElseThrow();
    }

    /** The tokens of every tracking URL in the html. */
    static List<TrackingToken> tokens(String html) {
        return Pattern.compile("/t/[oc]/([A-Za-z0-9_-]+)")
                .matcher(html)
                .results()
                .map(m -> HtmlRewriterTests.CODEC.decode(m.group(1)).orElseThrow())
                .toList();
    }

    static SendEmailCommand command(List<String> to, List<String> cc, List<String> bcc, boolean tracked) {
        return new SendEmailCommand(
                1,
                "act-1",
                "t-1",
                "s@acme.test",
                to,
                cc,
                bcc,
                null,
                "Hi",
                HTML,
                "Hi",
                Map.of(),
                new SendEmailCommand.Tracking(tracked, tracked));
    }
}
