package dev.mailtrail.bench;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * EmailEvents as the ingest publishes them for Resend webhooks, straight onto the topic: the webhook lifecycles of
 * many activities, some events twice, shuffled. The same seed gives the same order, whatever the prefix.
 */
final class Events {

    static final String CLICK_AGENT = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.1 Safari/605.1.15";

    private Events() {}

    /** The distinct events of {@code activities} activities named {@code activityPrefix + index}. */
    static List<EmailEvent> distinct(String activityPrefix, int activities, Instant base) {
        List<EmailEvent> events = new ArrayList<>();
        Instant received = Instant.now();
        for (int a = 0; a < activities; a++) {
            String activityId = activityPrefix + a;
            List<String> lifecycle = Webhooks.LIFECYCLES.get(a % Webhooks.LIFECYCLES.size());
            for (int p = 0; p < lifecycle.size(); p++) {
                EmailEventType type = EmailEventType.fromWire(lifecycle.get(p).substring("email.".length()));
                Instant at = base.plusSeconds(a % 3600).plusMillis(p * 1000L + 1);
                events.add(event("resend:" + activityId + "-" + p, type, at, received, activityId));
            }
        }
        return events;
    }

    /** Links of the flooded email: fewer than a burst's five, so its clicks stay a person's. */
    static final List<String> FLOOD_LINKS = List.of(
            "https://acme.test/pricing", "https://acme.test/demo", "https://acme.test/docs", "https://acme.test/blog");

    /**
     * Its delivery, then {@code hits} distinct pixel loads and link follows of one email, as our tracking edge
     * publishes a bot's: each from a new client, a tenth of a second apart; every fifth a click.
     */
    static List<EmailEvent> flood(String activityId, int hits, Instant base) {
        Instant received = Instant.now();
        List<EmailEvent> events = new ArrayList<>(hits + 1);
        events.add(event(
                "resend:" + activityId + "-delivered",
                EmailEventType.DELIVERED,
                base.minusSeconds(10),
                received,
                activityId));
        for (int i = 0; i < hits; i++) {
            boolean click = i % 5 == 4;
            EmailEvent.Client client =
                    new EmailEvent.Client("bench-ip-" + i, "bench-agent/" + i, Classification.UNKNOWN, List.of());
            events.add(EmailEvent.builder()
                    .eventId((click ? "click:" : "open:") + activityId + ":" + i)
                    .type(click ? EmailEventType.CLICKED : EmailEventType.OPENED)
                    .occurredAt(base.plusMillis(100L * i))
                    .receivedAt(received)
                    .source(click ? EventSource.TRACKING_REDIRECT : EventSource.TRACKING_PIXEL)
                    .activityId(activityId)
                    .tenantId(Webhooks.TENANT)
                    .click(click ? new EmailEvent.Click(FLOOD_LINKS.get(i % FLOOD_LINKS.size()), null) : null)
                    .client(client)
                    .build());
        }
        return events;
    }

    /** The events plus {@code duplicateShare} of them again (the same records), all shuffled by {@code seed}. */
    static List<EmailEvent> withDuplicatesShuffled(List<EmailEvent> distinct, double duplicateShare, long seed) {
        Random random = new Random(seed);
        List<EmailEvent> all = new ArrayList<>(distinct);
        int duplicates = (int) Math.round(distinct.size() * duplicateShare);
        for (int i = 0; i < duplicates; i++) {
            all.add(distinct.get(random.nextInt(distinct.size())));
        }
        Collections.shuffle(all, random);
        return all;
    }

    /** (activityId, type, eventId) of each event, as {@link Applied#expected} takes them. */
    static List<String[]> triples(List<EmailEvent> events) {
        return events.stream()
                .map(e -> new String[] {e.activityId(), e.type().wire(), e.eventId()})
                .toList();
    }

    static EmailEvent event(String eventId, EmailEventType type, Instant at, Instant received, String activityId) {
        EmailEvent.Click click = type == EmailEventType.CLICKED
                ? new EmailEvent.Click("https://acme.test/pricing?plan=pro", null)
                : null;
        EmailEvent.Bounce bounce = type == EmailEventType.BOUNCED
                ? EmailEvent.Bounce.of("Permanent", "General", "The recipient's email address does not exist.")
                : null;
        EmailEvent.Failure failure = switch (type) {
            case FAILED -> new EmailEvent.Failure("reached_daily_quota");
            case SUPPRESSED -> new EmailEvent.Failure("Recipient is on the suppression list");
            default -> null;
        };
        EmailEvent.Client client = switch (type) {
            case OPENED -> new EmailEvent.Client(null, null, Classification.UNKNOWN, List.of());
            case CLICKED -> new EmailEvent.Client("bench-ip-hash", CLICK_AGENT, Classification.HUMAN, List.of());
            default -> null;
        };
        return EmailEvent.builder()
                .eventId(eventId)
                .type(type)
                .occurredAt(at)
                .receivedAt(received)
                .source(EventSource.RESEND_WEBHOOK)
                .activityId(activityId)
                .tenantId(Webhooks.TENANT)
                .providerMessageId("em-" + activityId)
                .recipients(List.of("delivered@resend.dev"))
                .subject("Your proposal")
                .tags(Map.of("activity_id", activityId, "tenant_id", Webhooks.TENANT))
                .click(click)
                .bounce(bounce)
                .failure(failure)
                .client(client)
                .build();
    }
}
