package dev.mailtrail.send.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.CallerTags;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.send.projection.Rollups.Counts;
import dev.mailtrail.send.projection.Rollups.Key;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollupsTests {

    static final Instant SENT = Instant.parse("2026-11-26T23:59:59.000Z");
    static final LocalDate DAY = LocalDate.parse("2026-11-26");

    private static dev.mailtrail.events.ActivityStateBuilder state() {
        return ActivityState.builder()
                .activityId("act-1")
                .tenantId("t-1")
                .status(ActivityStatus.SENT)
                .openTracking(OpenTracking.TRACKED)
                .sentAt(SENT)
                .deliveredAt(SENT.plusSeconds(2))
                .updatedAt(SENT);
    }

    @Test
    void anActivityOnlyMachinesOpenedIsNoOpenButMachineOnlyOpened() {
        Counts c = all(state().machineOpenCount(3).build());

        assertThat(c.get(Figure.OPENED)).isZero();
        assertThat(c.get(Figure.MACHINE_ONLY_OPENED)).isEqualTo(1);
        assertThat(c.get(Figure.DELIVERED)).isEqualTo(1);
        assertThat(c.get(Figure.SENT)).isEqualTo(1);
    }

    @Test
    void aHumanClickWithoutASeenOpenIsAnOpenedAndHumanOpenedActivityCountedOnce() {
        Counts c = all(state().clickCount(4)
                .humanClickCount(4)
                .openInferred(true)
                .machineOpenCount(2)
                .build());

        assertThat(c.get(Figure.OPENED)).isEqualTo(1);
        assertThat(c.get(Figure.HUMAN_OPENED)).isEqualTo(1);
        assertThat(c.get(Figure.MACHINE_ONLY_OPENED)).isZero();
        assertThat(c.get(Figure.CLICKED)).isEqualTo(1);
        assertThat(c.get(Figure.HUMAN_CLICKED)).isEqualTo(1);
    }

    @Test
    void aStateCountsUnderAllEachCallerTagAndEachClickedLinkOnItsUtcSendDay() {
        ActivityState s = state().tags(Map.of("campaign", "alpha", "stage", "1"))
                .clickCount(1)
                .machineClickCount(1)
                .links(List.of(
                        new ActivityState.LinkClicks("https://a.test", 1, 0),
                        new ActivityState.LinkClicks("https://b.test", 0, 1)))
                .build();

        Map<Key, Counts> rows = Rollups.contribution(s);

        assertThat(rows.keySet())
                .containsExactly(
                        new Key("t-1", "all", "", DAY),
                        new Key("t-1", "link", "https://a.test", DAY),
                        new Key("t-1", "link", "https://b.test", DAY),
                        new Key("t-1", "tag:campaign", "alpha", DAY),
                        new Key("t-1", "tag:stage", "1", DAY));
        assertThat(rows.get(new Key("t-1", "link", "https://a.test", DAY)).get(Figure.CLICKED))
                .isEqualTo(1);
        // only a machine clicked b: the activity is there, its click on b is not counted
        assertThat(rows.get(new Key("t-1", "link", "https://b.test", DAY)).get(Figure.CLICKED))
                .isZero();
    }

    @Test
    void aLaterBounceMovesTheContributionAndAStateWithoutAnyTimeHasNone() {
        ActivityState delivered = state().build();
        ActivityState bounced =
                delivered.toBuilder().bouncedAt(SENT.plusSeconds(60)).build();

        Map<Key, Counts> delta = Rollups.delta(List.of(new Rollups.Change(delivered, bounced)));

        assertThat(delta).hasSize(1);
        assertThat(delta.get(new Key("t-1", "all", "", DAY)).get(Figure.BOUNCED))
                .isEqualTo(1);
        assertThat(delta.get(new Key("t-1", "all", "", DAY)).get(Figure.SENT)).isZero();
        assertThat(Rollups.contribution(ActivityFold.empty(new dev.mailtrail.events.ActivityKey("t-1", "a"), SENT)))
                .isEmpty();
    }

    @Test
    void callerTagsLeaveOursOutKeepTheLeastValueAndAreBounded() {
        Map<String, String> tags = CallerTags.merge(
                Map.of("campaign", "beta"),
                Map.of("campaign", "alpha", "activity_id", "a", "tenant_id", "t", "recipient_index", "0"));

        assertThat(tags).containsExactly(Map.entry("campaign", "alpha"));
        assertThat(CallerTags.merge(tags, Map.of("campaign", "gamma"))).isSameAs(tags);

        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 200; i++) {
            many.put("t" + (1000 + i), "v");
        }
        assertThat(CallerTags.merge(Map.of(), many)).hasSize(CallerTags.MAX).containsKey("t1000");
    }

    private static Counts all(ActivityState s) {
        return Rollups.contribution(s).get(new Key("t-1", "all", "", DAY));
    }
}
