package dev.mailtrail.events;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The text form of an activity's identity reads back as written, and never lets two activities share it. */
class ActivityKeyProperties {

    @Property(tries = 500)
    void theTextFormReadsBack(@ForAll("tenants") String tenant, @ForAll("ids") String activity) {
        ActivityKey key = new ActivityKey(tenant, activity);

        assertThat(ActivityKey.parse(key.value())).isEqualTo(key);
    }

    @Property(tries = 500)
    void twoActivitiesNeverShareATextForm(
            @ForAll("tenants") String tenantA,
            @ForAll("ids") String activityA,
            @ForAll("tenants") String tenantB,
            @ForAll("ids") String activityB) {
        ActivityKey a = new ActivityKey(tenantA, activityA);
        ActivityKey b = new ActivityKey(tenantB, activityB);

        assertThat(a.value().equals(b.value())).isEqualTo(a.equals(b));
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
        assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
    }

    /** Ids as the contract allows them, short, so that collisions and shared prefixes come up; or the legacy empty tenant. */
    @Provide
    Arbitrary<String> tenants() {
        return Arbitraries.oneOf(ids(), Arbitraries.just(""));
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().withChars("ab-_1").ofMinLength(1).ofMaxLength(4);
    }
}
