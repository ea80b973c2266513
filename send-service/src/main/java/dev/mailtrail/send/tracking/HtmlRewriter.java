package dev.mailtrail.send.tracking;

import java.util.Locale;

import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Adds our open pixel and wraps links through our redirect, once, at acceptance. The output depends only on
 * its inputs (tokens carry no nonce or clock), so a retry under the same idempotency key sends the same bytes.
 */
public final class HtmlRewriter {

    /** Links the sender marked to stay as they are. */
    public static final String NO_TRACK = "data-mailtrail-notrack";

    private final TrackingTokenCodec codec;
    private final String baseUrl;

    public HtmlRewriter(TrackingTokenCodec codec, String baseUrl) {
        this.codec = codec;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public record Rewritten(String html, boolean pixel, int wrappedLinks) {
    }

    public Rewritten rewrite(String html, String activityId, String tenantId, boolean opens, boolean clicks) {
        Document document = Jsoup.parse(html);
        document.outputSettings().prettyPrint(false);
        int wrapped = 0;
        for (Element link : document.select("a[href], area[href]")) {
            if (link.hasAttr(NO_TRACK)) {
                link.removeAttr(NO_TRACK);
                continue;
            }
            String href = link.attr("href").trim();
            if (clicks && trackable(href, link)) {
                link.attr("href", baseUrl + "/t/c/" + codec.encode(TrackingToken.click(activityId, tenantId, wrapped,
                        href)));
                wrapped++;
            }
        }
        if (opens) {
            document.body().appendElement("img")
                    .attr("src", baseUrl + "/t/o/" + codec.encode(TrackingToken.open(activityId, tenantId)) + ".gif")
                    .attr("width", "1")
                    .attr("height", "1")
                    .attr("alt", "")
                    .attr("style", "display:block;width:1px;height:1px;border:0");
        }
        return new Rewritten(document.outerHtml(), opens, wrapped);
    }

    /**
     * Absolute http(s) only: mailto:, tel:, in-page anchors and relative links stay, and so do unsubscribe links
     * (a scanner following them through us, or a person seeing a tracking URL there, would be wrong).
     */
    static boolean trackable(String href, Element link) {
        String lower = href.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("http://") || lower.startsWith("https://"))) {
            return false;
        }
        return !(lower.contains("unsubscribe") || link.text().toLowerCase(Locale.ROOT).contains("unsubscribe")
                || "unsubscribe".equalsIgnoreCase(link.attr("rel")));
    }
}
