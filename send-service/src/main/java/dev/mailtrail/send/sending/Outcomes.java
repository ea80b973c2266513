package dev.mailtrail.send.sending;

import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.resend.ResendOutcome;
import dev.mailtrail.send.sending.Dispatches.Finished;
import dev.mailtrail.send.sending.SendMetrics.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records what an attempt came to: another attempt later, the members' outcomes and facts, a batch split into single
 * calls, or a call flagged for review. Each write is conditional on the attempt still holding its lease; a lost one
 * writes and counts nothing.
 */
@Component
class Outcomes {

    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);
    private static final String REVIEW_REASON = "an attempt of unknown outcome is older than Resend's idempotency "
            + "window: another attempt could send a second email";

    private final Dispatches dispatches;
    private final SendingProperties properties;
    private final SendMetrics metrics;
    private final Clock clock;

    Outcomes(Dispatches dispatches, SendingProperties properties, SendMetrics metrics, Clock clock) {
        this.dispatches = dispatches;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
    }

    void record(Dispatch dispatch, ResendOutcome outcome) {
        if (outcome instanceof ResendOutcome.Retry retry) {
            retry(dispatch, retry);
        } else if (outcome instanceof ResendOutcome.Rejected rejected && dispatch.batch() && rejected.content()) {
            split(dispatch, rejected);
        } else if (outcome instanceof ResendOutcome.Rejected rejected) {
            finish(
                    dispatch,
                    Collections.nCopies(dispatch.members().size(), new ResendOutcome.Result(null, rejected.reason())));
        } else {
            finish(dispatch, ((ResendOutcome.Accepted) outcome).results());
        }
    }

    /** Not sent again: an earlier attempt may have sent, and Resend may have forgotten its key by now. */
    void review(Dispatch dispatch) {
        List<Finished> flagged = dispatch.members().stream()
                .map(member -> new Finished(member, "REVIEW", null, REVIEW_REASON))
                .toList();
        if (dispatches.finish(dispatch, clock.instant(), "review", flagged, List.of())) {
            metrics.count(Outcome.REVIEW, flagged.size());
            log.warn(
                    "{} ({} emails) flagged for review, not sent again: {}",
                    dispatch.logName(),
                    flagged.size(),
                    REVIEW_REASON);
        }
    }

    private void retry(Dispatch dispatch, ResendOutcome.Retry retry) {
        Instant next = clock.instant().plus(properties.backoff(dispatch.attempts()));
        if (retry.earliest() != null && retry.earliest().isAfter(next)) {
            next = retry.earliest();
        }
        String reason = retry.reason().name().toLowerCase(Locale.ROOT);
        if (dispatches.retry(dispatch, next, dispatch.wasInDoubt() || retry.maybeSent(), reason)) {
            metrics.count(
                    Outcome.valueOf(retry.reason().name()), dispatch.members().size());
            log.info(
                    "{} ({} emails): {}, next attempt at {}",
                    dispatch.logName(),
                    dispatch.members().size(),
                    reason,
                    next);
        }
    }

    /**
     * Resend refused the whole batch without naming a member (one email's unverified domain, say): each member is
     * sent again on its own, under its own key, so only the faulty one fails. Nothing under the batch's key was sent:
     * Resend keeps a key only for a success, and would have answered a success again (a key it may have forgotten
     * never gets this far, see {@link Dispatch#outsideKeyWindow}).
     */
    private void split(Dispatch dispatch, ResendOutcome.Rejected rejected) {
        int emails = dispatch.members().size();
        if (dispatches.split(dispatch, clock.instant())) {
            metrics.count(Outcome.SPLIT, emails);
            log.warn(
                    "{} ({} emails) refused whole, each to be sent on its own: {}",
                    dispatch.logName(),
                    emails,
                    rejected.reason());
        }
    }

    private void finish(Dispatch dispatch, List<ResendOutcome.Result> results) {
        Instant now = clock.instant();
        int emails = dispatch.members().size();
        List<Finished> finished = new ArrayList<>(emails);
        List<Outbox.Message> facts = new ArrayList<>(emails);
        int sent = 0;
        for (int i = 0; i < emails; i++) {
            Dispatch.Member member = dispatch.members().get(i);
            ResendOutcome.Result result = results.get(i);
            if (result.messageId() != null) {
                sent++;
                finished.add(new Finished(member, "SENT", result.messageId(), null));
                facts.add(SendFacts.message(SendFacts.sent(member, result.messageId(), now)));
            } else {
                finished.add(new Finished(member, "FAILED", null, result.error()));
                facts.add(SendFacts.message(SendFacts.failed(member, result.error(), now)));
            }
        }
        if (dispatches.finish(dispatch, now, sent > 0 ? "sent" : "failed", finished, facts)) {
            if (sent < emails) {
                // the reasons (Resend's words, which may quote an address) are in the states, not the log
                log.warn("{}: Resend refused {} of {} email(s)", dispatch.logName(), emails - sent, emails);
            }
            metrics.count(Outcome.SENT, sent);
            metrics.count(Outcome.FAILED, emails - sent);
        }
    }
}
