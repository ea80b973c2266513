package dev.mailtrail.send.projection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.mailtrail.events.ActivityState.LinkClicks;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;

/**
 * An activity's opens and clicks, counted after adding the context the edge cannot see (DESIGN rule 3,
 * shared/reference/tracking-heuristics.md):
 * <ul>
 * <li>{@value #CLICK_BURST}: clicks on at least {@code burstLinks} distinct links of the email within
 * {@code burstWindow} (first to last, inclusive) are a scanner following every link: all of them are machines,
 * whatever the edge said.</li>
 * <li>{@value #TOO_SOON_AFTER_DELIVERY}: a hit earlier than {@code scannerWindow} after delivery (or before it: a
 * gateway scanning before it accepts) is a machine when the edge could not call it human for sure — classification
 * unknown, or human without a reason. A reasoned human (Gmail's image proxy) stays human.</li>
 * </ul>
 * Machine hits are counted apart and never raise the status; a later human open still counts, so an auto-open
 * upgrades. A pure function of the set of distinct events and the delivery time: the projection and the timeline
 * use the same one, so they agree whatever the arrival order or batch split (DESIGN rule 2).
 */
public record Engagement(long openCount, long machineOpenCount, Instant firstOpenedAt, Instant lastOpenedAt,
        long clickCount, long machineClickCount, Instant firstClickedAt, Instant lastClickedAt,
        List<LinkClicks> links) {

    public static final String CLICK_BURST = "click_burst";
    public static final String TOO_SOON_AFTER_DELIVERY = "too_soon_after_delivery";

    public static Engagement of(Collection<EmailEvent> events, Instant deliveredAt, EngagementRules rules) {
        Tally opens = new Tally();
        Tally clicks = new Tally();
        // by url: a stable order, independent of arrival
        Map<String, long[]> links = new TreeMap<>();
        for (EmailEvent e : inContext(events, deliveredAt, rules)) {
            boolean machine = e.classification() == Classification.MACHINE;
            boolean click = e.type() == EmailEventType.CLICKED;
            (click ? clicks : opens).add(e.occurredAt(), machine);
            if (click && url(e) != null) {
                links.computeIfAbsent(url(e), u -> new long[2])[machine ? 1 : 0]++;
            }
        }
        List<LinkClicks> perLink = links.entrySet().stream()
                .map(link -> new LinkClicks(link.getKey(), link.getValue()[0], link.getValue()[1]))
                .toList();
        return new Engagement(opens.counted, opens.machines, opens.first, opens.last, clicks.counted,
                clicks.machines, clicks.first, clicks.last, perLink);
    }

    /** Whether the event is an open or a click: what this counts. */
    public static boolean counts(EmailEvent e) {
        return e.type() == EmailEventType.OPENED || e.type() == EmailEventType.CLICKED;
    }

    /**
     * The distinct opens and clicks among the events (others are ignored), oldest first, each with its
     * classification and reasons in context: the edge's reasons, then the projection's.
     */
    public static List<EmailEvent> inContext(Collection<EmailEvent> events, Instant deliveredAt,
            EngagementRules rules) {
        Map<String, EmailEvent> distinct = new HashMap<>();
        for (EmailEvent e : events) {
            if (counts(e)) {
                distinct.merge(e.eventId(), e, (a, b) -> ActivityFold.ORDER.compare(a, b) <= 0 ? a : b);
            }
        }
        List<EmailEvent> hits = distinct.values().stream().sorted(ActivityFold.ORDER).toList();
        Set<String> burst = bursts(hits, rules);
        Instant scannerUntil = deliveredAt == null ? null : deliveredAt.plus(rules.scannerWindow());
        List<EmailEvent> result = new ArrayList<>(hits.size());
        for (EmailEvent e : hits) {
            boolean tooSoon = scannerUntil != null && e.occurredAt().isBefore(scannerUntil) && unsure(e);
            result.add(burst.contains(e.eventId()) || tooSoon
                    ? machine(e, burst.contains(e.eventId()), tooSoon) : e);
        }
        return result;
    }

    /**
     * The ids of the clicks in any window of {@code burstWindow} holding clicks on {@code burstLinks} distinct
     * links. One pass over the clicks in time order: the window ending at each click, shrunk from its start.
     */
    private static Set<String> bursts(List<EmailEvent> hits, EngagementRules rules) {
        List<EmailEvent> clicks = hits.stream().filter(e -> e.type() == EmailEventType.CLICKED && url(e) != null)
                .toList();
        Set<String> members = new HashSet<>();
        Map<String, Integer> linksInWindow = new HashMap<>();
        int from = 0;
        int unmarked = 0;
        for (int to = 0; to < clicks.size(); to++) {
            Instant end = clicks.get(to).occurredAt();
            linksInWindow.merge(url(clicks.get(to)), 1, Integer::sum);
            while (clicks.get(from).occurredAt().plus(rules.burstWindow()).isBefore(end)) {
                linksInWindow.computeIfPresent(url(clicks.get(from)), (url, n) -> n == 1 ? null : n - 1);
                from++;
            }
            if (linksInWindow.size() >= rules.burstLinks()) {
                for (int i = Math.max(from, unmarked); i <= to; i++) {
                    members.add(clicks.get(i).eventId());
                }
                unmarked = to + 1;
            }
        }
        return members;
    }

    /** Unknown, or human without a reason: the edge could not tell a person for sure. */
    private static boolean unsure(EmailEvent e) {
        Classification c = e.classification();
        return c == Classification.UNKNOWN
                || c == Classification.HUMAN && e.client() != null && e.client().reasons().isEmpty();
    }

    private static EmailEvent machine(EmailEvent e, boolean burst, boolean tooSoon) {
        EmailEvent.Client client = e.client();
        List<String> reasons = new ArrayList<>(client == null ? List.of() : client.reasons());
        if (burst && !reasons.contains(CLICK_BURST)) {
            reasons.add(CLICK_BURST);
        }
        if (tooSoon && !reasons.contains(TOO_SOON_AFTER_DELIVERY)) {
            reasons.add(TOO_SOON_AFTER_DELIVERY);
        }
        EmailEvent.Client reclassified = new EmailEvent.Client(client == null ? null : client.ipHash(),
                client == null ? null : client.userAgent(), Classification.MACHINE, reasons);
        return new EmailEvent(e.schemaVersion(), e.eventId(), e.type(), e.occurredAt(), e.receivedAt(), e.source(),
                e.activityId(), e.tenantId(), e.providerMessageId(), e.recipients(), e.subject(), e.tags(), e.click(),
                e.bounce(), e.failure(), reclassified);
    }

    private static String url(EmailEvent e) {
        return e.click() == null ? null : e.click().url();
    }

    /** Counts of one kind of hit; fed in time order, so the first counted is the first time and the last the last. */
    private static final class Tally {
        long counted;
        long machines;
        Instant first;
        Instant last;

        void add(Instant at, boolean machine) {
            if (machine) {
                machines++;
                return;
            }
            counted++;
            first = first == null ? at : first;
            last = at;
        }
    }
}
