package dev.mailtrail.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class SchemaConformanceTests {

    static final Schema EMAIL_EVENT = load("email-event");
    static final Schema SEND_EMAIL_COMMAND = load("send-email-command");
    static final Schema ACTIVITY_STATE = load("activity-state");

    static Schema load(String name) {
        InputStream in = SchemaConformanceTests.class.getResourceAsStream("/schemas/" + name + ".schema.json");
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(in);
    }

    static JsonNode tree(Object value) {
        return WireJson.mapper().readTree(WireJson.write(value));
    }

    @ParameterizedTest
    @EnumSource(EmailEventType.class)
    void everyEventTypeSerialisesToAValidEmailEvent(EmailEventType type) {
        List<Error> errors = EMAIL_EVENT.validate(tree(EmailEventMother.of(type)));

        assertThat(errors).isEmpty();
    }

    @Test
    void emailEventIsCamelCaseWithNullSubObjectsAndMillisecondTimestamps() {
        JsonNode json = tree(EmailEventMother.of(EmailEventType.DELIVERED));

        assertThat(json.get("type").asString()).isEqualTo("delivered");
        assertThat(json.get("source").asString()).isEqualTo("resend_webhook");
        assertThat(json.get("occurredAt").asString()).isEqualTo("2026-11-26T10:15:30.123Z");
        assertThat(json.get("click").isNull()).isTrue();
        assertThat(json.get("providerMessageId").asString()).isEqualTo("4ef9a417-02e9-4d39-ad75-9611e0fcc33c");
        assertThat(json.toString()).doesNotContain("dev.mailtrail");
    }

    @Test
    void wholeSecondsStillCarryThreeFractionDigits() {
        assertThat(WireJson.format(Instant.parse("2026-11-26T10:15:30Z"))).isEqualTo("2026-11-26T10:15:30.000Z");
    }

    @Test
    void emailEventRoundTripsThroughTheWire() {
        EmailEvent event = EmailEventMother.of(EmailEventType.CLICKED);

        assertThat(WireJson.read(WireJson.write(event), EmailEvent.class)).isEqualTo(event);
    }

    @Test
    void schemaRejectsAnEventWithoutAnIdOrWithAnUnknownType() {
        ObjectNode withoutId = (ObjectNode) tree(EmailEventMother.of(EmailEventType.SENT));
        withoutId.remove("eventId");
        ObjectNode unknownType = (ObjectNode) tree(EmailEventMother.of(EmailEventType.SENT));
        unknownType.put("type", "teleported");

        assertThat(EMAIL_EVENT.validate(withoutId)).isNotEmpty();
        assertThat(EMAIL_EVENT.validate(unknownType)).isNotEmpty();
    }

    @Test
    void readersIgnoreFieldsAddedLaterInTheSameVersion() {
        ObjectNode json = (ObjectNode) tree(EmailEventMother.of(EmailEventType.SENT));
        json.put("addedLater", "x");

        EmailEvent event = WireJson.read(json.toString().getBytes(), EmailEvent.class);

        assertThat(event).isEqualTo(EmailEventMother.of(EmailEventType.SENT));
    }

    @Test
    void sendEmailCommandValidates() {
        SendEmailCommand command = new SendEmailCommand(
                SendEmailCommand.SCHEMA_VERSION,
                "act-1",
                "t-1",
                "Acme <sales@acme.test>",
                List.of("delivered@resend.dev"),
                null,
                null,
                null,
                "Hi",
                "<p>Hi</p>",
                null,
                Map.of("campaign", "q4"),
                null);

        assertThat(SEND_EMAIL_COMMAND.validate(tree(command))).isEmpty();
        assertThat(WireJson.read(WireJson.write(command), SendEmailCommand.class))
                .isEqualTo(command);
    }

    @Test
    void sendEmailCommandWithoutBodyIsRejectedBySchema() {
        SendEmailCommand command = new SendEmailCommand(
                1,
                "act-1",
                "t-1",
                "sales@acme.test",
                List.of("delivered@resend.dev"),
                null,
                null,
                null,
                "Hi",
                null,
                null,
                null,
                null);

        assertThat(SEND_EMAIL_COMMAND.validate(tree(command))).isNotEmpty();
    }

    @Test
    void activityStateValidates() {
        Instant t = EmailEventMother.T0;
        ActivityState state = ActivityState.builder()
                .activityId("act-1")
                .tenantId("t-1")
                .version(3)
                .status(ActivityStatus.CLICKED)
                .messageId("msg-1")
                .recipient("a@b.test")
                .subject("Hi")
                .openTracking(OpenTracking.TRACKED)
                .ownTracking(new ActivityState.OwnTracking(true, false, 2, 0))
                .queuedAt(t)
                .sentAt(t)
                .deliveredAt(t)
                .firstOpenedAt(t)
                .lastOpenedAt(t)
                .openCount(1)
                .machineOpenCount(2)
                .humanOpenCount(1)
                .firstClickedAt(t)
                .lastClickedAt(t)
                .clickCount(1)
                .humanClickCount(1)
                .links(List.of(new ActivityState.LinkClicks("https://x.test", 1, 0)))
                .updatedAt(t)
                .recipients(List.of(
                        ActivityState.Recipient.builder()
                                .index(0)
                                .email("a@b.test")
                                .status(ActivityStatus.CLICKED)
                                .messageId("msg-1")
                                .sentAt(t)
                                .deliveredAt(t)
                                .firstOpenedAt(t)
                                .openCount(1)
                                .firstClickedAt(t)
                                .clickCount(1)
                                .build(),
                        ActivityState.Recipient.builder()
                                .index(1)
                                .email("bounced@b.test")
                                .status(ActivityStatus.BOUNCED)
                                .messageId("msg-2")
                                .sentAt(t)
                                .bouncedAt(t)
                                .bounce(EmailEvent.Bounce.of("Permanent", "General", "gone"))
                                .build()))
                .build();

        assertThat(ACTIVITY_STATE.validate(tree(state))).isEmpty();
        assertThat(WireJson.read(WireJson.write(state), ActivityState.class)).isEqualTo(state);
        assertThat(tree(state).get("ownTracking").toString())
                .isEqualTo("{\"opens\":true,\"clicks\":false,\"corroboratingOpens\":2,\"corroboratingClicks\":0,"
                        + "\"noConsent\":false}");
        // an ownTracking written before noConsent existed reads as consent not in question
        assertThat(WireJson.read(
                                "{\"opens\":true,\"clicks\":false,\"corroboratingOpens\":2,\"corroboratingClicks\":0}"
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                ActivityState.OwnTracking.class)
                        .noConsent())
                .isFalse();

        // a state published before the field existed: nothing of ours known, nothing corroborated
        ObjectNode older = (ObjectNode) tree(state);
        older.remove("ownTracking");
        assertThat(WireJson.read(WireJson.mapper().writeValueAsBytes(older), ActivityState.class)
                        .ownTracking())
                .isEqualTo(ActivityState.OwnTracking.NONE);
    }

    @Test
    void aSchema1StateReadsWithNoRecipients() {
        ObjectNode tree = (ObjectNode) tree(ActivityState.builder()
                .activityId("act-1")
                .tenantId("t-1")
                .version(1)
                .status(ActivityStatus.QUEUED)
                .openTracking(OpenTracking.TRACKED)
                .queuedAt(EmailEventMother.T0)
                .updatedAt(EmailEventMother.T0)
                .build());
        tree.remove("recipients");
        tree.put("schemaVersion", 1);

        assertThat(WireJson.read(WireJson.write(tree), ActivityState.class).recipients())
                .isEmpty();
    }

    @Test
    void javaEnumsAndSchemaEnumsAgree() {
        JsonNode event = WireJson.mapper()
                .readTree(SchemaConformanceTests.class.getResourceAsStream("/schemas/email-event.schema.json"));
        JsonNode state = WireJson.mapper()
                .readTree(SchemaConformanceTests.class.getResourceAsStream("/schemas/activity-state.schema.json"));

        assertThat(enumValues(event.at("/properties/type/enum"))).isEqualTo(wireValues(EmailEventType.values()));
        assertThat(enumValues(event.at("/properties/source/enum"))).isEqualTo(wireValues(EventSource.values()));
        assertThat(enumValues(event.at("/$defs/classification/enum"))).isEqualTo(wireValues(Classification.values()));
        assertThat(enumValues(event.at("/$defs/autoReplyKind/enum"))).isEqualTo(wireValues(AutoReplyKind.values()));
        assertThat(enumValues(state.at("/properties/status/enum"))).isEqualTo(names(ActivityStatus.values()));
        assertThat(enumValues(state.at("/properties/openTracking/enum"))).isEqualTo(names(OpenTracking.values()));
    }

    @Test
    void statusRankFollowsTheDesignOrder() {
        assertThat(Arrays.stream(ActivityStatus.values()).map(Enum::name))
                .containsExactly(
                        "QUEUED",
                        "SCHEDULED",
                        "SENT",
                        "DELIVERY_DELAYED",
                        "DELIVERED",
                        "OPENED",
                        "CLICKED",
                        "REPLIED",
                        "SUPPRESSED",
                        "FAILED",
                        "BOUNCED",
                        "COMPLAINED");
        assertThat(ActivityStatus.DELIVERED.max(ActivityStatus.SENT)).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(ActivityStatus.SENT.max(ActivityStatus.BOUNCED)).isEqualTo(ActivityStatus.BOUNCED);
    }

    static Set<String> enumValues(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asString)
                .collect(Collectors.toSet());
    }

    static Set<String> wireValues(WireValue[] values) {
        return Arrays.stream(values).map(WireValue::wire).collect(Collectors.toSet());
    }

    static Set<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toSet());
    }
}
