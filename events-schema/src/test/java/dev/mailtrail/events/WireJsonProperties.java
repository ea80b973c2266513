package dev.mailtrail.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class WireJsonProperties {

    @Property(tries = 300)
    void anyEventRoundTripsAndValidates(@ForAll("events") EmailEvent event) {
        byte[] wire = WireJson.write(event);

        assertThat(WireJson.read(wire, EmailEvent.class)).isEqualTo(event);
        assertThat(SchemaConformanceTests.EMAIL_EVENT.validate(WireJson.mapper().readTree(wire)))
                .isEmpty();
    }

    @Provide
    Arbitrary<EmailEvent> events() {
        Arbitrary<String> ids =
                Arbitraries.strings().withChars("abcXYZ019_-").ofMinLength(1).ofMaxLength(128);
        Arbitrary<Instant> times =
                Arbitraries.longs().between(0, 4_102_444_800_000L).map(Instant::ofEpochMilli);
        Arbitrary<EmailEventType> types = Arbitraries.of(EmailEventType.class);
        Arbitrary<EventSource> sources = Arbitraries.of(EventSource.class);
        Arbitrary<EmailEvent.Client> clients = Combinators.combine(
                        Arbitraries.of(Classification.class),
                        Arbitraries.strings().ofMaxLength(40).injectNull(0.3))
                .as((c, agent) -> new EmailEvent.Client("h", agent, c, List.of("reason")))
                .injectNull(0.5);
        return Combinators.combine(
                        ids,
                        types,
                        times,
                        sources,
                        ids.injectNull(0.2),
                        clients,
                        Arbitraries.strings().ofMaxLength(60))
                .as((id, type, at, source, activity, client, subject) -> EmailEvent.builder()
                        .schemaVersion(1)
                        .eventId("resend:" + id)
                        .type(type)
                        .occurredAt(at)
                        .receivedAt(at)
                        .source(source)
                        .activityId(activity)
                        .providerMessageId("em")
                        .recipients(List.of("a@b.test"))
                        .subject(subject)
                        .tags(Map.of("k", "v"))
                        .client(client)
                        .build());
    }
}
