package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.projection.EventReader.PoisonRecordException;
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
        EmailEvent untagged = event(EmailEventType.CLICKED).activity(null).tenant(null).build();

        assertThat(EventReader.read(WireJson.write(untagged)).activityId()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "                                            | empty record value",
            "null                                        | record value is JSON null",
            "{\"eventId\":                               | unreadable EmailEvent",
            "{\"schemaVersion\":1,\"type\":\"sent\"} | unreadable EmailEvent: missing eventId",
            "{\"eventId\":\"x\",\"type\":\"teleported\"} | unknown EmailEventType: teleported"})
    void unreadableRecordsArePoisonWithAReasonAndNoClassNames(String json, String reason) {
        byte[] value = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventReader.read(value))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining(reason)
                .hasMessageNotContaining("dev.mailtrail")
                .extracting(e -> ((PoisonRecordException) e).type()).isNull();
    }

    @Test
    void eventsThatBelongToNoActivityOrCarryBadIdsArePoisonWithTheirType() {
        EmailEvent orphan = event(EmailEventType.OPENED).activity(null).message(null).build();
        EmailEvent badActivity = event(EmailEventType.SENT).activity("act 1; drop").build();
        EmailEvent badTenant = event(EmailEventType.SENT).tenant("t/1").build();

        assertThatThrownBy(() -> EventReader.read(WireJson.write(orphan)))
                .hasMessageContaining("neither activityId nor providerMessageId")
                .extracting(e -> ((PoisonRecordException) e).type()).isEqualTo(EmailEventType.OPENED);
        assertThatThrownBy(() -> EventReader.read(WireJson.write(badActivity))).hasMessageContaining("activityId");
        assertThatThrownBy(() -> EventReader.read(WireJson.write(badTenant))).hasMessageContaining("tenantId");
    }
}
