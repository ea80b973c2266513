package dev.mailtrail.ingest.normalize;

import static dev.mailtrail.ingest.SignedWebhook.svixId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.WireText;
import dev.mailtrail.ingest.client.Classifiers;
import dev.mailtrail.ingest.client.IpHasher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever text a signed webhook carries, its event is accepted, clean and within the contract's limits. */
class ResendEventNormalizerProperties {

    final ResendEventNormalizer normalizer = new ResendEventNormalizer(
            new IpHasher("salt"), Classifiers.shared(), Clock.fixed(ResendEventNormalizerTests.NOW, ZoneOffset.UTC));

    @Property(tries = 300)
    void everyTextIsCleanWithinItsLimitAndUntouchedWhenItAlreadyWas(
            @ForAll("text") String subject,
            @ForAll("text") String recipient,
            @ForAll("text") String tag,
            @ForAll("text") String link,
            @ForAll("text") String message) {
        String body =
                """
                {"type":"email.clicked","created_at":"2026-11-26T10:15:31.456Z",
                 "data":{"email_id":"em_1","to":[%s],"subject":%s,"tags":{"campaign":%s},
                  "click":{"link":%s,"userAgent":%s},"bounce":{"message":%s}}}""".formatted(json(recipient), json(subject), json(tag), json(link), json(message), json(message));

        NormalizedWebhook result = normalizer.normalize(svixId("msg_p"), body.getBytes(StandardCharsets.UTF_8));

        assertThat(result).isInstanceOf(NormalizedWebhook.Recognized.class);
        EmailEvent event = ((NormalizedWebhook.Recognized) result).event();
        assertCleaned(event.subject(), subject, WireText.SUBJECT_MAX);
        assertCleaned(event.recipients().get(0), recipient, WireText.ADDRESS_MAX);
        assertCleaned(event.tags().get("campaign"), tag, WireText.TAG_MAX);
        assertCleaned(event.click().url(), link, WireText.URL_MAX);
        assertCleaned(event.client().userAgent(), message, WireText.USER_AGENT_MAX);
        assertCleaned(event.bounce().message(), message, WireText.MESSAGE_MAX);
    }

    private static void assertCleaned(String published, String sent, int max) {
        assertThat(WireText.firstForbidden(published, false))
                .as("forbidden character at")
                .isEqualTo(-1);
        assertThat(published.length()).isLessThanOrEqualTo(max);
        if (sent.length() <= max && WireText.firstForbidden(sent, false) < 0) {
            assertThat(published).isEqualTo(sent);
        }
    }

    /** Any char at all (controls, lone surrogates, pairs), around and over the limits. */
    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().all().ofMinLength(300).ofMaxLength(1100),
                Arbitraries.strings().alpha().ofMinLength(250).ofMaxLength(1100)));
    }

    /** A JSON string with every char outside printable ASCII escaped, as a lone surrogate can only travel. */
    private static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
