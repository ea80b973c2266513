package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityState;
import java.util.List;
import java.util.function.Predicate;

/**
 * The figures of an engagement report: each a yes/no of one activity's state, so a rollup counts activities (an
 * activity opened ten times is one opened). Machine opens (Apple Mail Privacy Protection, scanners) are never an
 * open here: {@link #OPENED} is a human or unknown open (or a counted click, which implies one), and an activity
 * only machines opened is {@link #MACHINE_ONLY_OPENED}.
 */
public enum Figure {
    /** The provider took it: sent, or anything that needs a sent email (delivered, bounced, complained). */
    SENT(s -> s.sentAt() != null || s.deliveredAt() != null || s.bouncedAt() != null || s.complainedAt() != null),
    DELIVERED(s -> s.deliveredAt() != null),
    BOUNCED(s -> s.bouncedAt() != null),
    COMPLAINED(s -> s.complainedAt() != null),
    FAILED(s -> s.failedAt() != null),
    SUPPRESSED(s -> s.suppressedAt() != null),
    OPENED(Figure::opened),
    /** A human-classified open or click (a click implies an open). */
    HUMAN_OPENED(s -> s.humanOpenCount() > 0 || s.humanClickCount() > 0),
    MACHINE_ONLY_OPENED(s -> s.machineOpenCount() > 0 && !opened(s)),
    CLICKED(s -> s.clickCount() > 0),
    HUMAN_CLICKED(s -> s.humanClickCount() > 0),
    REPLIED(s -> s.repliedAt() != null),
    UNSUBSCRIBED(s -> s.unsubscribedAt() != null);

    public static final List<Figure> ALL = List.of(values());

    private final Predicate<ActivityState> holds;

    Figure(Predicate<ActivityState> holds) {
        this.holds = holds;
    }

    public boolean holds(ActivityState state) {
        return holds.test(state);
    }

    /** The rollup column: {@code human_opened}. */
    public String column() {
        return name().toLowerCase();
    }

    /** The report's JSON name: {@code humanOpened}. */
    public String wire() {
        StringBuilder wire = new StringBuilder();
        boolean upper = false;
        for (char c : column().toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                wire.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return wire.toString();
    }

    private static boolean opened(ActivityState s) {
        return s.openCount() > 0 || s.openInferred();
    }
}
