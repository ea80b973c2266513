package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import org.junit.jupiter.api.Test;

class TimelineTests {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00.000Z");

    @Test
    void theEarliestSentWhateverItsSourceAndEveryDistinctOpenOldestFirst() {
        EmailEvent ourSent = event(EmailEventType.SENT).id("send:a:sent").from(EventSource.SEND_SERVICE).at(T0).build();
        EmailEvent resendSent = event(EmailEventType.SENT).at(T0.plusSeconds(1)).build();
        EmailEvent prefetch = event(EmailEventType.OPENED).by(Classification.MACHINE).at(T0.plusSeconds(5)).build();
        EmailEvent open = event(EmailEventType.OPENED).by(Classification.HUMAN).at(T0.plusSeconds(60)).build();

        assertThat(Timeline.of(List.of(open, resendSent, prefetch, open, ourSent, resendSent),
                EngagementRules.DEFAULTS)).containsExactly(ourSent, prefetch, open);
    }

    @Test
    void opensAndClicksShowTheirClassificationInContextMeasuredFromTheEarliestDelivery() {
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(T0).build();
        EmailEvent redelivered = event(EmailEventType.DELIVERED).at(T0.plusSeconds(30)).build();
        EmailEvent scan = event(EmailEventType.OPENED).by(Classification.UNKNOWN).at(T0.plusSeconds(1)).build();
        EmailEvent gmail = event(EmailEventType.OPENED).by(Classification.HUMAN, "gmail_image_proxy")
                .at(T0.plusSeconds(1)).build();
        List<EmailEvent> burst = EngagementTests.clicks(T0.plusSeconds(40), 5, 200);
        List<EmailEvent> events = new ArrayList<>(List.of(redelivered, gmail, scan, delivered));
        events.addAll(burst);

        List<EmailEvent> timeline = Timeline.of(events, EngagementRules.DEFAULTS);

        assertThat(timeline).extracting(EmailEvent::eventId).startsWith(delivered.eventId())
                .doesNotContain(redelivered.eventId()).hasSize(8);
        assertThat(timeline).filteredOn(e -> e.eventId().equals(scan.eventId())).singleElement()
                .satisfies(e -> assertThat(e.client().reasons()).containsExactly(
                        Engagement.TOO_SOON_AFTER_DELIVERY));
        assertThat(timeline).filteredOn(e -> e.eventId().equals(gmail.eventId())).containsExactly(gmail);
        assertThat(timeline).filteredOn(e -> e.type() == EmailEventType.CLICKED).hasSize(5)
                .allSatisfy(e -> assertThat(e.client().reasons()).containsExactly(Engagement.CLICK_BURST));
    }
}
