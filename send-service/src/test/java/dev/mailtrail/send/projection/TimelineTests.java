package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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

        assertThat(Timeline.of(List.of(open, resendSent, prefetch, open, ourSent, resendSent)))
                .containsExactly(ourSent, prefetch, open);
    }
}
