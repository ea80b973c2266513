package dev.mailtrail.send.tracking;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Our own tracking, decided once at acceptance: the html to send (pixel and wrapped links when asked for) and whether
 * anybody can observe opens. A rewrite that fails sends the email untracked: tracking never blocks sending.
 */
@Component
public class EmailTracking {

    private static final Logger log = LoggerFactory.getLogger(EmailTracking.class);

    /** What to send and what to declare: whether anybody observes opens, and what our own tracking observes. */
    public record Prepared(String html, OpenTracking openTracking, ActivityState.OwnTracking own) {}

    private final HtmlRewriter rewriter;
    private final boolean providerTracksOpens;
    private final RewriteMetrics metrics;

    @Autowired
    EmailTracking(TrackingProperties properties, MeterRegistry registry) {
        this(
                new HtmlRewriter(new TrackingTokenCodec(TrackingKeys.parse(properties.keys())), properties.baseUrl()),
                properties.providerOpenTracking(),
                registry);
    }

    /** From its parts, for tests of what uses it. */
    public EmailTracking(HtmlRewriter rewriter, boolean providerTracksOpens, MeterRegistry registry) {
        this.rewriter = rewriter;
        this.providerTracksOpens = providerTracksOpens;
        this.metrics = new RewriteMetrics(registry);
    }

    public Prepared prepare(SendEmailCommand command) {
        return prepare(command, null);
    }

    /** Whether our tracking was asked for an html body: then each of several recipients gets a message of its own. */
    public static boolean asked(SendEmailCommand command) {
        return command.html() != null
                && !command.html().isBlank()
                && (command.tracking().opens() || command.tracking().clicks());
    }

    /** The message for one recipient ({@code recipient}: its index, which its tokens carry) or, null, the only one. */
    public Prepared prepare(SendEmailCommand command, Integer recipient) {
        String html = command.html();
        if (html == null || html.isBlank()) {
            return new Prepared(html, OpenTracking.NOT_TRACKED, ActivityState.OwnTracking.NONE);
        }
        SendEmailCommand.Tracking asked = command.tracking();
        boolean pixel = false;
        boolean wrapped = false;
        if (asked.opens() || asked.clicks()) {
            try {
                HtmlRewriter.Rewritten result = rewriter.rewrite(
                        html, command.activityId(), command.tenantId(), recipient, asked.opens(), asked.clicks());
                html = result.html();
                pixel = result.pixel();
                wrapped = result.wrappedLinks() > 0;
                metrics.rewritten();
                result.skipped().forEach(metrics::skipped);
            } catch (RuntimeException e) {
                metrics.failed();
                // no activity id (it would tie the line to a person), nor the message (it may quote the html)
                log.warn(
                        "Tracking not added to an email (it is sent untracked): {}",
                        e.getClass().getSimpleName());
            }
        }
        return new Prepared(
                html,
                pixel || providerTracksOpens ? OpenTracking.TRACKED : OpenTracking.NOT_TRACKED,
                ActivityState.OwnTracking.of(pixel, wrapped));
    }
}
