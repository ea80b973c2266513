package dev.mailtrail.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The hand-written builders reach every component of their record, each setter its own, and {@code toBuilder}
 * copies them all; the builders add nothing to the wire form.
 */
class BuildersTests {

    @Test
    void everyActivityStateComponentIsSetByItsOwnSetterAndCopied() throws Exception {
        assertBuilds(ActivityState.class, ActivityState.builder());
    }

    @Test
    void everyRecipientComponentIsSetByItsOwnSetterAndCopied() throws Exception {
        assertBuilds(ActivityState.Recipient.class, ActivityState.Recipient.builder());
    }

    @Test
    void everyEmailEventComponentIsSetByItsOwnSetterAndCopied() throws Exception {
        assertBuilds(EmailEvent.class, EmailEvent.builder());
    }

    @Test
    void theWireFormIsTheRecordComponentsAlone() {
        ActivityState state = ActivityState.builder()
                .activityId("act-1")
                .tenantId("t-1")
                .status(ActivityStatus.QUEUED)
                .openTracking(OpenTracking.TRACKED)
                .updatedAt(EmailEventMother.T0)
                .recipients(List.of(ActivityState.Recipient.builder()
                        .status(ActivityStatus.QUEUED)
                        .build()))
                .build();
        EmailEvent event = EmailEventMother.of(EmailEventType.CLICKED);

        assertThat(fieldNames(WireJson.mapper().valueToTree(state))).isEqualTo(componentNames(ActivityState.class));
        assertThat(fieldNames(
                        WireJson.mapper().valueToTree(state).get("recipients").get(0)))
                .isEqualTo(componentNames(ActivityState.Recipient.class));
        assertThat(fieldNames(WireJson.mapper().valueToTree(event))).isEqualTo(componentNames(EmailEvent.class));
    }

    /**
     * Sets every component to a value of its own (no two alike, none a default), then reads each back, and copies
     * the result through {@code toBuilder}.
     */
    private static void assertBuilds(Class<? extends Record> type, Object builder) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        List<Object> samples = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            Object sample = sample(components[i], i);
            samples.add(sample);
            builder.getClass()
                    .getMethod(components[i].getName(), components[i].getType())
                    .invoke(builder, sample);
        }
        Object built = builder.getClass().getMethod("build").invoke(builder);

        for (int i = 0; i < components.length; i++) {
            assertThat(components[i].getAccessor().invoke(built))
                    .as(components[i].getName())
                    .isEqualTo(samples.get(i));
        }
        Object copier = type.getMethod("toBuilder").invoke(built);
        assertThat(copier.getClass().getMethod("build").invoke(copier)).isEqualTo(built);
    }

    private static Object sample(RecordComponent component, int i) {
        Class<?> type = component.getType();
        if (type == List.class) {
            Class<?> element = (Class<?>) ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
            return List.of(element == String.class ? component.getName() + i : elementSample(element, i));
        }
        if (type == int.class) {
            return i + 1;
        }
        if (type == long.class) {
            return i + 100L;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == String.class) {
            return component.getName() + i;
        }
        if (type == Instant.class) {
            return EmailEventMother.T0.plusSeconds(i);
        }
        if (type == Map.class) {
            return Map.of(component.getName(), "v" + i);
        }
        if (type.isEnum()) {
            Object[] values = type.getEnumConstants();
            return values[values.length - 1];
        }
        return elementSample(type, i);
    }

    private static Object elementSample(Class<?> type, int i) {
        Map<Class<?>, Object> samples = Map.of(
                ActivityState.OwnTracking.class, new ActivityState.OwnTracking(true, true, i, i + 1),
                ActivityState.LinkClicks.class, new ActivityState.LinkClicks("https://x.test/" + i, i, i + 1),
                ActivityState.Recipient.class,
                        ActivityState.Recipient.builder()
                                .index(i)
                                .status(ActivityStatus.DELIVERED)
                                .build(),
                EmailEvent.Bounce.class, EmailEvent.Bounce.of("Permanent", "General", "gone " + i),
                EmailEvent.Click.class, new EmailEvent.Click("https://x.test/" + i, i),
                EmailEvent.Failure.class, new EmailEvent.Failure("reason " + i),
                EmailEvent.Reply.class, new EmailEvent.Reply(AutoReplyKind.OUT_OF_OFFICE, "in-" + i),
                EmailEvent.Client.class, new EmailEvent.Client("h" + i, "agent", Classification.HUMAN, List.of("r")));
        assertThat(samples).as("a sample of " + type.getSimpleName()).containsKey(type);
        return samples.get(type);
    }

    private static Set<String> fieldNames(tools.jackson.databind.JsonNode node) {
        return node.propertyNames().stream().collect(Collectors.toSet());
    }

    private static Set<String> componentNames(Class<? extends Record> type) {
        return Stream.of(type.getRecordComponents())
                .map(RecordComponent::getName)
                .collect(Collectors.toSet());
    }
}
