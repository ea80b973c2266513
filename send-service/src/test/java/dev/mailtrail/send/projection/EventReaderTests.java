package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.kafka.DeadLetters.Reason;
import dev.mailtrail.send.projection.EventReader.PoisonRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventReaderTests {

    @Test
    void aValidEventIsRead() throws PoisonRecordException {
        EmailEvent event = event(EmailEventType.OPENED).build();

        assertThat(EventReader.read(WireJson.write(event))).isEqualTo(event);
    }

    @Test
    void anUntaggedEventWithAnEmailIdIsValid() throws PoisonRecordException {
        EmailEvent untagged =
                event(EmailEventType.CLICKED).activity(null).tenant(null).build();

        assertThat(EventReader.read(WireJson.write(untagged)).activityId()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "                                            | empty record value",
                "null                                        | record value is JSON null",
                "{\"eventId\":                               | unreadable EmailEvent",
                "{\"schemaVersion\":1,\"type\":\"sent\"} | unreadable EmailEvent: missing eventId",
                "{\"eventId\":\"x\",\"type\":\"teleported\"} | unknown EmailEventType: teleported"
            })
    void unreadableRecordsArePoisonWithAReasonAndNoClassNames(String json, String reason) {
        byte[] value = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventReader.read(value))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining(reason)
                .hasMessageNotContaining("dev.mailtrail")
                .extracting(e -> ((PoisonRecordException) e).reason())
                .isEqualTo(Reason.UNREADABLE);
    }

    @Test
    void eventsThatBelongToNoActivityOrCarryBadIdsAreInvalid() {
        EmailEvent orphan =
                event(EmailEventType.OPENED).activity(null).message(null).build();
        EmailEvent badActivity =
                event(EmailEventType.SENT).activity("act 1; drop").build();
        EmailEvent badTenant = event(EmailEventType.SENT).tenant("t/1").build();

        assertThatThrownBy(() -> EventReader.read(WireJson.write(orphan)))
                .hasMessageStartingWith("invalid EmailEvent: neither activityId with tenantId nor providerMessageId")
                .extracting(e -> ((PoisonRecordException) e).reason())
                .isEqualTo(Reason.INVALID);
        assertThatThrownBy(() -> EventReader.read(WireJson.write(badActivity))).hasMessageContaining("activityId");
        assertThatThrownBy(() -> EventReader.read(WireJson.write(badTenant))).hasMessageContaining("tenantId");
    }

    @Test
    void anActivityIdWithoutItsTenantNamesNoActivityFromVersion2AndResolvesThroughTheEmailIdInVersion1()
            throws PoisonRecordException {
        EmailEvent tenantless = event(EmailEventType.DELIVERED).tenant(null).build();
        byte[] version1 = version(tenantless, 1);

        assertThatThrownBy(() -> EventReader.read(WireJson.write(tenantless)))
                .hasMessage("invalid EmailEvent: activityId without tenantId: an activity id means nothing outside its"
                        + " tenant")
                .extracting(e -> ((PoisonRecordException) e).reason())
                .isEqualTo(Reason.INVALID);
        EmailEvent read = EventReader.read(version1);
        assertThat(read.activityKey()).isNull();
        assertThat(read.providerMessageId()).isEqualTo(tenantless.providerMessageId());
        assertThatThrownBy(() -> EventReader.read(version(
                        event(EmailEventType.DELIVERED)
                                .tenant(null)
                                .message(null)
                                .build(),
                        1)))
                .hasMessageStartingWith("invalid EmailEvent: neither activityId with tenantId");
    }

    @Test
    void onlyTheVersionsWeKnowAreRead() throws PoisonRecordException {
        EmailEvent event = event(EmailEventType.OPENED).build();

        assertThat(EventReader.read(version(event, 1)).eventId()).isEqualTo(event.eventId());
        assertThat(EventReader.read(version(event, 2)).eventId()).isEqualTo(event.eventId());
        assertThat(EventReader.read(version(event, 3)).eventId()).isEqualTo(event.eventId());
        for (int unknown : new int[] {0, 4}) {
            assertThatThrownBy(() -> EventReader.read(version(event, unknown)))
                    .hasMessage("invalid EmailEvent: unsupported schemaVersion " + unknown);
        }
    }

    private static byte[] version(EmailEvent event, int schemaVersion) {
        String json = new String(WireJson.write(event), StandardCharsets.UTF_8);
        return json.replace("\"schemaVersion\":" + EmailEvent.SCHEMA_VERSION, "\"schemaVersion\":" + schemaVersion)
                .getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({"1969-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z", "-0001-06-01T00:00:00Z"})
    void aTimeOutsideTheContractsYearsIsInvalid(String at) {
        EmailEvent event = event(EmailEventType.OPENED).at(Instant.parse(at)).build();

        assertThatThrownBy(() -> EventReader.read(WireJson.write(event)))
                .hasMessage("invalid EmailEvent: occurredAt and receivedAt must be in the years 1970-9999")
                .extracting(e -> ((PoisonRecordException) e).reason())
                .isEqualTo(Reason.INVALID);
    }

    @Test
    void theContractsFirstAndLastYearsAreRead() throws PoisonRecordException {
        for (String at : new String[] {"1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"}) {
            EmailEvent event =
                    event(EmailEventType.OPENED).at(Instant.parse(at)).build();

            assertThat(EventReader.read(WireJson.write(event)).occurredAt()).isEqualTo(Instant.parse(at));
        }
    }
}
