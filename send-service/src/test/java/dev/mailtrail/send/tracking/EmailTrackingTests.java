package dev.mailtrail.send.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.SendEmailCommand;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmailTrackingTests {

    static final String HTML = "<p>Hi <a href=\"https://acme.test/pricing\">pricing</a></p>";

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void textOnlyIsNotTrackedWhateverWasAsked() {
        assertThat(tracking(true).prepare(command(null, true, true)))
                .isEqualTo(new EmailTracking.Prepared(null, OpenTracking.NOT_TRACKED, OwnTracking.NONE));
        assertThat(tracking(true).prepare(command(" ", false, false)).openTracking())
                .isEqualTo(OpenTracking.NOT_TRACKED);
    }

    @Test
    void untrackedHtmlIsSentAsItIsAndTrackedOnlyWhenTheProviderTracksOpens() {
        assertThat(tracking(true).prepare(command(HTML, false, false)))
                .isEqualTo(new EmailTracking.Prepared(HTML, OpenTracking.TRACKED, OwnTracking.NONE));
        assertThat(tracking(false).prepare(command(HTML, false, false)))
                .isEqualTo(new EmailTracking.Prepared(HTML, OpenTracking.NOT_TRACKED, OwnTracking.NONE));
        // wrapped links alone observe clicks, not opens
        EmailTracking.Prepared clicksOnly = tracking(false).prepare(command(HTML, false, true));
        assertThat(clicksOnly.html()).contains("https://t.acme.test/t/c/").doesNotContain("/t/o/");
        assertThat(clicksOnly.openTracking()).isEqualTo(OpenTracking.NOT_TRACKED);
        assertThat(clicksOnly.own()).isEqualTo(OwnTracking.of(false, true));
    }

    @Test
    void ourClickTrackingIsOnlyDeclaredWhenALinkWasWrapped() {
        EmailTracking.Prepared noLinks = tracking(true).prepare(command("<p>Hi, no links</p>", true, true));

        assertThat(noLinks.own()).isEqualTo(OwnTracking.of(true, false));
    }

    @Test
    void ourPixelTracksOpensWithoutTheProvider() {
        EmailTracking.Prepared prepared = tracking(false).prepare(command(HTML, true, true));

        assertThat(prepared.openTracking()).isEqualTo(OpenTracking.TRACKED);
        assertThat(prepared.own()).isEqualTo(OwnTracking.of(true, true));
        assertThat(prepared.html()).contains("https://t.acme.test/t/o/").contains("https://t.acme.test/t/c/");
        assertThat(tracking(false).prepare(command(HTML, true, true))).isEqualTo(prepared);
        assertThat(rewrites("rewritten", "none")).isEqualTo(2);
    }

    @Test
    void aRewriteThatFailsSendsTheEmailUntrackedAndIsCounted() {
        // an activity id too long for a tracking token: the codec refuses it
        SendEmailCommand command = new SendEmailCommand(
                1,
                "a".repeat(70_000),
                "t-1",
                "a@example.com",
                List.of("b@example.com"),
                null,
                null,
                null,
                "Hi",
                HTML,
                "Hi",
                Map.of(),
                new SendEmailCommand.Tracking(true, true));

        EmailTracking.Prepared prepared = tracking(false).prepare(command);

        assertThat(prepared).isEqualTo(new EmailTracking.Prepared(HTML, OpenTracking.NOT_TRACKED, OwnTracking.NONE));
        assertThat(rewrites("failed", "none")).isEqualTo(1);
        assertThat(rewrites("rewritten", "none")).isZero();
    }

    @Test
    void linksLeftAsWrittenAreCountedByReasonOnTheSameMeter() {
        String html = "<p><a href=\"https://acme.test/" + "x".repeat(3_500) + "\">long</a>"
                + "<a href=\"mailto:b@example.com\">mail</a><a href=\"#top\">top</a>"
                + "<a href=\"https://acme.test/unsubscribe\">stop</a><a href=\"https://acme.test/\">site</a></p>";

        EmailTracking.Prepared prepared = tracking(false).prepare(command(html, false, true));

        assertThat(prepared.html())
                .contains(
                        "https://acme.test/" + "x".repeat(3_500),
                        "mailto:b@example.com",
                        "https://acme.test/unsubscribe")
                .doesNotContain("\"https://acme.test/\"");
        assertThat(rewrites("skipped", "too_long")).isEqualTo(1);
        assertThat(rewrites("skipped", "scheme")).isEqualTo(2);
        assertThat(rewrites("skipped", "unsubscribe")).isEqualTo(1);
        assertThat(rewrites("skipped", "opt_out")).isZero();
        assertThat(rewrites("rewritten", "none")).isEqualTo(1);
        // one meter, one fixed tag set: every series is there from the start, each with outcome and reason
        assertThat(meters.find("mailtrail.tracking.rewrite").counters())
                .hasSize(2 + LinkRules.Skip.values().length)
                .allSatisfy(c -> assertThat(c.getId().getTags())
                        .extracting(t -> t.getKey())
                        .containsExactly("outcome", "reason"));
    }

    private double rewrites(String outcome, String reason) {
        return meters.get("mailtrail.tracking.rewrite")
                .tags("outcome", outcome, "reason", reason)
                .counter()
                .count();
    }

    private EmailTracking tracking(boolean providerTracksOpens) {
        return new EmailTracking(
                new HtmlRewriter(HtmlRewriterTests.CODEC, "https://t.acme.test"), providerTracksOpens, meters);
    }

    private static SendEmailCommand command(String html, boolean opens, boolean clicks) {
        return new SendEmailCommand(
                1,
                "act-1",
                "t-1",
                "a@example.com",
                List.of("b@example.com"),
                null,
                null,
                null,
                "Hi",
                html,
                "Hi",
                Map.of(),
                new SendEmailCommand.Tracking(opens, clicks));
    }
}
