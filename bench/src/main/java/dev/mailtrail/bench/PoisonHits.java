package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Request;
import dev.mailtrail.bench.Probe.Channel;
import dev.mailtrail.bench.Probe.Expect;
import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Pixel loads and link follows, each on its own token (so no rate limit applies): valid tokens with ordinary, odd
 * and huge user agents, recorded with the agent made safe; invalid tokens, answered as designed (the GIF, or 404
 * for a link) and never recorded. A header the HTTP layer refuses may be a 4xx instead: RFC 9110 lets a server reject
 * a NUL in a field value (Netty rejects every control character but TAB, which therefore reaches the ingest), and
 * the header size is capped.
 */
final class PoisonHits {

    private static final String URL = "https://acme.test/pricing?plan=pro";
    private static final List<Integer> GIF = List.of(200);
    private static final List<Integer> REDIRECT = List.of(302);
    private static final List<Integer> GIF_OR_REFUSED = List.of(200, 400);
    private static final List<Integer> REDIRECT_OR_REFUSED = List.of(302, 400);
    private static final List<Integer> NOT_FOUND_OR_REFUSED = List.of(404, 400);
    private static final List<Integer> HEADERS_TOO_LARGE = List.of(400, 413, 431);

    private final Webhooks ids;
    private final TrackingTokenCodec codec;
    /** Signs as the ingest does, with a key the ingest does not know. */
    private final TrackingTokenCodec foreign = new TrackingTokenCodec(TrackingKeys.parse("drill:"
            + Base64.getEncoder().encodeToString("a key the ingest never had".getBytes(StandardCharsets.UTF_8))));

    private int next;

    PoisonHits(Webhooks ids, String trackingKeys) {
        this.ids = ids;
        this.codec = new TrackingTokenCodec(TrackingKeys.parse(trackingKeys));
    }

    List<Probe> probes(int healthy) {
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < healthy; i++) {
            probes.add(open(Probe.HEALTHY, Expect.APPLIED, Events.CLICK_AGENT, GIF));
            probes.add(click(Probe.HEALTHY, Expect.APPLIED, Events.CLICK_AGENT, REDIRECT));
        }
        probes.add(open("TAB in user agent", Expect.CLEANED, "Mozilla/5.0\t(drill)", GIF));
        probes.add(open("NUL in user agent", Expect.CLEANED, "Mozilla/5.0\u0000", GIF_OR_REFUSED));
        probes.add(open("ESC in user agent", Expect.CLEANED, "Mozilla/5.0\u001b[31m", GIF_OR_REFUSED));
        probes.add(open("user agent of 6,000", Expect.CLEANED, "M".repeat(6_000), GIF));
        probes.add(open("user agent of 20,000", Expect.ANSWERED, "M".repeat(20_000), HEADERS_TOO_LARGE));
        probes.add(click("TAB in user agent", Expect.CLEANED, "Mozilla/5.0\t(drill)", REDIRECT));
        probes.add(click("NUL in user agent", Expect.CLEANED, "Mozilla/5.0\u0000", REDIRECT_OR_REFUSED));
        probes.add(click("user agent of 6,000", Expect.CLEANED, "M".repeat(6_000), REDIRECT));
        probes.add(hit("pixel, not a token", "/t/o/not-a-token.gif", GIF));
        probes.add(hit(
                "pixel, another key's token",
                "/t/o/" + foreign.encode(TrackingToken.open(id(), Webhooks.TENANT)) + ".gif",
                GIF));
        probes.add(hit("pixel, NUL in token", "/t/o/%00.gif", GIF_OR_REFUSED));
        probes.add(hit("click, not a token", "/t/c/not-a-token", NOT_FOUND_OR_REFUSED));
        probes.add(hit(
                "click, another key's token",
                "/t/c/" + foreign.encode(TrackingToken.click(id(), Webhooks.TENANT, 0, URL)),
                NOT_FOUND_OR_REFUSED));
        probes.add(hit("click, NUL in token", "/t/c/%00", NOT_FOUND_OR_REFUSED));
        return probes;
    }

    private Probe open(String kind, Expect expect, String userAgent, List<Integer> statuses) {
        String activityId = id();
        String path = "/t/o/" + codec.encode(TrackingToken.open(activityId, Webhooks.TENANT)) + ".gif";
        return Probe.http(Channel.TRACKING, "open, " + kind, expect, activityId, null, statuses, get(path, userAgent));
    }

    private Probe click(String kind, Expect expect, String userAgent, List<Integer> statuses) {
        String activityId = id();
        String path = "/t/c/" + codec.encode(TrackingToken.click(activityId, Webhooks.TENANT, 0, URL));
        return Probe.http(Channel.TRACKING, "click, " + kind, expect, activityId, null, statuses, get(path, userAgent));
    }

    private Probe hit(String kind, String path, List<Integer> statuses) {
        return Probe.http(Channel.TRACKING, kind, Expect.ANSWERED, id(), null, statuses, get(path, Events.CLICK_AGENT));
    }

    private String id() {
        return ids.activityId("pt", next++);
    }

    private static Request get(String path, String userAgent) {
        return Request.get(path, Map.of("User-Agent", userAgent));
    }
}
