package dev.mailtrail.send.accept;

import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.send.suppression.Addresses;
import dev.mailtrail.send.suppression.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A command's recipients as the tenant's suppression list leaves them, decided before the email is split into
 * messages: the command without the listed addresses in to, cc and bcc, and which were dropped (the 202's
 * {@code suppressed}). With no {@code to} left there is nobody to send to: a copy of an email to nobody is not sent.
 */
record Suppressed(SendEmailCommand original, SendEmailCommand remaining, List<Dropped> dropped) {

    /** A dropped recipient: its normalised address and the list's reason. */
    record Dropped(String email, Reason reason) {}

    /** Every recipient's normalised address, to, cc then bcc, each once. */
    static Set<String> addresses(SendEmailCommand c) {
        return Stream.of(c.to(), c.cc(), c.bcc())
                .flatMap(List::stream)
                .map(Addresses::normalised)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    static Suppressed of(SendEmailCommand c, Map<String, Reason> listed) {
        if (listed.isEmpty()) {
            return new Suppressed(c, c, List.of());
        }
        Map<String, Dropped> dropped = new LinkedHashMap<>();
        for (String address : addresses(c)) {
            Reason reason = listed.get(address);
            if (reason != null) {
                dropped.put(address, new Dropped(address, reason));
            }
        }
        SendEmailCommand remaining =
                c.withRecipients(keep(c.to(), listed), keep(c.cc(), listed), keep(c.bcc(), listed));
        return new Suppressed(c, remaining, List.copyOf(dropped.values()));
    }

    boolean nobodyLeft() {
        return remaining.to().isEmpty();
    }

    /** The original to addresses, bare: what the queued fact of a request never sent lists. */
    List<String> toAddresses() {
        return original.to().stream().map(a -> Addresses.bare(a).orElse(a)).toList();
    }

    /** The state's and timeline's reason: {@code suppressed: hard_bounce} (each reason once, in order met). */
    String reason() {
        return Reason.suppressed(dropped.stream().map(Dropped::reason).toList());
    }

    private static List<String> keep(List<String> addresses, Map<String, Reason> listed) {
        List<String> kept = new ArrayList<>(addresses.size());
        for (String address : addresses) {
            if (!listed.containsKey(Addresses.normalised(address))) {
                kept.add(address);
            }
        }
        return kept;
    }
}
