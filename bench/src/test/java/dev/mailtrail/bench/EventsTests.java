package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.EmailEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventsTests {

    private final Instant base = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void activitiesFollowTheWebhookLifecyclesWithDeterministicIds() {
        List<EmailEvent> events = Events.distinct("p-", 8, base);
        assertThat(events)
                .hasSize(Webhooks.LIFECYCLES.stream().mapToInt(List::size).sum());
        assertThat(events.stream().map(EmailEvent::eventId).distinct()).hasSize(events.size());
        assertThat(events.get(0).eventId()).isEqualTo("resend:p-0-0");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.activityId()).startsWith("p-");
            assertThat(e.partitionKey()).isEqualTo(Webhooks.TENANT + ":" + e.activityId());
        });
    }

    @Test
    void duplicatesAreAddedAndTheSameSeedShufflesTwinsAlike() {
        List<EmailEvent> a = Events.withDuplicatesShuffled(Events.distinct("a-", 100, base), 0.1, 7);
        List<EmailEvent> b = Events.withDuplicatesShuffled(Events.distinct("b-", 100, base), 0.1, 7);
        int distinct = Events.distinct("a-", 100, base).size();
        assertThat(a).hasSize(distinct + (int) Math.round(distinct * 0.1));
        assertThat(a.stream().map(EmailEvent::eventId).distinct()).hasSize(distinct);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).eventId().substring("resend:a-".length()))
                    .isEqualTo(b.get(i).eventId().substring("resend:b-".length()));
        }
    }
}
