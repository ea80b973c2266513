package dev.mailtrail.send.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.SendEmailCommand;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
        assertThat(meters.get("mailtrail.tracking.rewrite").tag("outcome", "rewritten").counter().count()).isEqualTo(2);
    }

    @Test
    void aRewriteThatFailsSendsTheEmailUntrackedAndIsCounted() {
        // a URL too long for a tracking token: the codec refuses it
        String html = "<p><a href=\"https://acme.test/" + "x".repeat(70_000) + "\">long</a></p>";

        EmailTracking.Prepared prepared = tracking(false).prepare(command(html, true, true));

        assertThat(prepared).isEqualTo(new EmailTracking.Prepared(html, OpenTracking.NOT_TRACKED, OwnTracking.NONE));
        assertThat(meters.get("mailtrail.tracking.rewrite").tag("outcome", "failed").counter().count()).isEqualTo(1);
    }

    private EmailTracking tracking(boolean providerTracksOpens) {
        return new EmailTracking(new HtmlRewriter(HtmlRewriterTests.CODEC, "https://t.acme.test"), providerTracksOpens,
                meters);
    }

    private static SendEmailCommand command(String html, boolean opens, boolean clicks) {
        return new SendEmailCommand(1, "act-1", "t-1", "a@example.com", List.of("b@example.com"), null, null, null,
                "Hi", html, "Hi", Map.of(), new SendEmailCommand.Tracking(opens, clicks));
    }
}
