package dev.mailtrail.events;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The caller's tags of an email: what an event's tags say once ours are taken out (the names that link a provider's
 * message to its activity and recipient, and the send-service's declarations). Merged into an activity's state as a
 * set, so any order and repetition of its events gives the same tags: per name the least value, and at most
 * {@link #MAX} names (the least ones), so nothing a provider sends grows a state without bound.
 */
public final class CallerTags {

    /** Our tags on the provider's message: a caller may not use these names. */
    public static final List<String> PROVIDER = List.of("activity_id", "tenant_id", Recipients.TAG);

    /** How many tags of the caller fit next to ours under Resend's limit of 75 per message. */
    public static final int MAX = 75 - PROVIDER.size();

    private static final Set<String> OURS = Set.of(
            PROVIDER.get(0),
            PROVIDER.get(1),
            Recipients.TAG,
            Recipients.COUNT_TAG,
            OwnTrackingDeclaration.TAG,
            OpenTracking.TAG);

    private CallerTags() {}

    /** {@code current} with the caller's tags among {@code eventTags} merged in (unchanged when there are none). */
    public static Map<String, String> merge(Map<String, String> current, Map<String, String> eventTags) {
        TreeMap<String, String> merged = null;
        for (Map.Entry<String, String> tag : eventTags.entrySet()) {
            String name = tag.getKey();
            String value = tag.getValue();
            if (OURS.contains(name) || value == null) {
                continue;
            }
            String held = merged != null ? merged.get(name) : current.get(name);
            if (held != null && held.compareTo(value) <= 0) {
                continue;
            }
            if (merged == null) {
                merged = new TreeMap<>(current);
            }
            merged.put(name, value);
        }
        if (merged == null) {
            return current;
        }
        while (merged.size() > MAX) {
            merged.pollLastEntry();
        }
        return merged;
    }
}
