package dev.mailtrail.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Ready-made events, one per type, with the sub-object each type carries. */
final class EmailEventMother {

    static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123Z");

    static EmailEvent of(EmailEventType type) {
        return EmailEvent.builder()
                .eventId("resend:msg_" + type.wire())
                .type(type)
                .occurredAt(T0)
                .receivedAt(T0.plusMillis(40))
                .source(EventSource.RESEND_WEBHOOK)
                .activityId("act-123")
                .tenantId("t-1")
                .providerMessageId("4ef9a417-02e9-4d39-ad75-9611e0fcc33c")
                .recipients(List.of("delivered@resend.dev"))
                .subject("Hello")
                .tags(Map.of("activity_id", "act-123", "tenant_id", "t-1"))
                .click(type == EmailEventType.CLICKED ? new EmailEvent.Click("https://example.com/pricing", 0) : null)
                .bounce(
                        type == EmailEventType.BOUNCED
                                ? EmailEvent.Bounce.of("Permanent", "General", "mailbox unknown")
                                : null)
                .failure(type == EmailEventType.FAILED ? new EmailEvent.Failure("reached_daily_quota") : null)
                .client(
                        switch (type) {
                            case OPENED -> new EmailEvent.Client(null, null, Classification.UNKNOWN, List.of());
                            case CLICKED ->
                                new EmailEvent.Client(
                                        "9f2c", "Mozilla/5.0", Classification.MACHINE, List.of("apple_mpp"));
                            default -> null;
                        })
                .build();
    }

    private EmailEventMother() {}
}
