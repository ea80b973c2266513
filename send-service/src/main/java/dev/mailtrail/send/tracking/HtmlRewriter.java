package dev.mailtrail.send.tracking;

import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.nodes.Range;
import org.jsoup.parser.Parser;

/**
 * Adds our open pixel and wraps links through our redirect, once, at acceptance. The output depends only on
 * its inputs (tokens carry no nonce or clock), so a retry under the same idempotency key sends the same bytes.
 * <p>
 * The html is parsed only to find things: the output is the sender's html with the wrapped links' href values
 * replaced and the pixel inserted, every other byte as written (re-serialising would re-encode entities, quotes and
 * whitespace of links and text we did not touch).
 */
public final class HtmlRewriter {

    private static final String PIXEL = "<img src=\"%s.gif\" width=\"1\" height=\"1\" alt=\"\" "
            + "style=\"display:block;width:1px;height:1px;border:0\">";

    private final TrackingTokenCodec codec;
    private final String baseUrl;
    /** As written into an attribute; a token is base64url, which needs no escaping. */
    private final String escapedBaseUrl;
    /** Our own unsubscribe links: never wrapped. */
    private final String unsubscribePrefix;

    public HtmlRewriter(TrackingTokenCodec codec, String baseUrl) {
        this.codec = codec;
        this.baseUrl = withoutTrailingSlash(baseUrl);
        this.escapedBaseUrl = Entities.escape(this.baseUrl);
        this.unsubscribePrefix = this.baseUrl + UnsubscribeHeaders.PATH;
    }

    /** The tracking base URL as every link starts with it: {@code https://t.acme.test}, never a trailing slash. */
    static String withoutTrailingSlash(String baseUrl) {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** {@code skipped}: one reason per link left as written (when clicks are tracked). */
    public record Rewritten(String html, boolean pixel, int wrappedLinks, List<LinkRules.Skip> skipped) {}

    public Rewritten rewrite(String html, String activityId, String tenantId, boolean opens, boolean clicks) {
        return rewrite(html, activityId, tenantId, null, opens, clicks);
    }

    /** {@code recipient}: the index of the recipient this message goes to alone, its tokens name it; null: none. */
    public Rewritten rewrite(
            String html, String activityId, String tenantId, Integer recipient, boolean opens, boolean clicks) {
        Document document = Jsoup.parse(html, "", Parser.htmlParser().setTrackPosition(true));
        Splice splice = new Splice(html);
        List<LinkRules.Skip> skipped = new ArrayList<>();
        int wrapped = 0;
        if (clicks) {
            for (Element link : inSourceOrder(document)) {
                String href = link.attr("href");
                Optional<LinkRules.Skip> skip = LinkRules.skip(link, href, unsubscribePrefix);
                String token = skip.isEmpty() ? clickToken(activityId, tenantId, recipient, wrapped, href) : null;
                if (token == null) {
                    skipped.add(skip.orElse(LinkRules.Skip.TOO_LONG));
                    continue;
                }
                splice.replaceValue(link.attribute("href"), escapedBaseUrl + "/t/c/" + token);
                wrapped++;
            }
        }
        if (opens) {
            String token = codec.encode(TrackingToken.open(activityId, tenantId).forRecipient(recipient));
            splice.insert(pixelPosition(document, html.length()), PIXEL.formatted(escapedBaseUrl + "/t/o/" + token));
        }
        return new Rewritten(splice.result(), opens, wrapped, List.copyOf(skipped));
    }

    /**
     * Each link once, in the order the sender wrote them: the parser may move an element (a link inside a table is
     * fostered out of it) or clone one (misnested tags), and a clone shares its original's attribute.
     */
    private static Iterable<Element> inSourceOrder(Document document) {
        Map<Integer, Element> links = new TreeMap<>();
        for (Element link : document.select("a[href], area[href]")) {
            links.putIfAbsent(link.attribute("href").sourceRange().nameRange().startPos(), link);
        }
        return links.values();
    }

    /** Null when the tracking URL would be too long for every client and server to carry. */
    private String clickToken(String activityId, String tenantId, Integer recipient, int linkIndex, String href) {
        if (href.length() > TrackingTokenCodec.MAX_URL_CHARS) {
            return null;
        }
        String token = codec.encode(
                TrackingToken.click(activityId, tenantId, linkIndex, href).forRecipient(recipient));
        return baseUrl.length() + "/t/c/".length() + token.length() > TrackingTokenCodec.MAX_URL_CHARS ? null : token;
    }

    /** Before {@code </body>}, else before {@code </html>}, else at the end: a parser puts it in the body each way. */
    private static int pixelPosition(Document document, int end) {
        for (Element element : new Element[] {document.body(), document.firstElementChild()}) {
            Range close = element == null ? null : element.endSourceRange();
            if (close != null && close.isTracked() && !close.isImplicit()) {
                return close.startPos();
            }
        }
        return end;
    }

    /** The sender's html with replacements at source positions, checked against what the parser read there. */
    private static final class Splice {

        private final String source;
        private final TreeMap<Integer, Edit> edits = new TreeMap<>();

        private record Edit(int start, int end, String text) {}

        Splice(String source) {
            this.source = source;
        }

        /** The attribute's value, quotes included, becomes {@code "escaped"}. */
        void replaceValue(Attribute attribute, String escaped) {
            Range range = attribute.sourceRange().valueRange();
            int start = range.startPos();
            int end = range.endPos();
            if (!range.isTracked()
                    || start < 0
                    || end > source.length()
                    || !read(source.substring(start, end)).equals(attribute.getValue())) {
                // never splice blind: the rewrite fails and the email goes out untracked, as written
                throw new IllegalStateException("the parser's source position of an href does not match its value");
            }
            char before = start > 0 ? source.charAt(start - 1) : ' ';
            if ((before == '"' || before == '\'') && end < source.length() && source.charAt(end) == before) {
                start--;
                end++;
            }
            add(new Edit(start, end, '"' + escaped + '"'));
        }

        /** An attribute's source text as the parser reads it. */
        private static String read(String raw) {
            return raw.indexOf('&') < 0 ? raw : Parser.unescapeEntities(raw, true);
        }

        void insert(int position, String text) {
            add(new Edit(position, position, text));
        }

        private void add(Edit edit) {
            Map.Entry<Integer, Edit> previous = edits.floorEntry(edit.start());
            Map.Entry<Integer, Edit> next = edits.ceilingEntry(edit.start());
            if ((previous != null && previous.getValue().end() > edit.start())
                    || (next != null && next.getKey() < edit.end())
                    || edits.containsKey(edit.start())) {
                throw new IllegalStateException("overlapping edits of the html");
            }
            edits.put(edit.start(), edit);
        }

        String result() {
            StringBuilder out = new StringBuilder(source.length() + 128 * edits.size());
            int at = 0;
            for (Edit edit : edits.values()) {
                out.append(source, at, edit.start()).append(edit.text());
                at = edit.end();
            }
            return out.append(source, at, source.length()).toString();
        }
    }
}
