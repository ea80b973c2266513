package dev.mailtrail.send.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.tracking.LinkTarget;
import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.send.tracking.LinkRules.Skip;
import java.util.Base64;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

public class HtmlRewriterTests {

    public static final TrackingTokenCodec CODEC = new TrackingTokenCodec(TrackingKeys.parse(
            "k1:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes())));
    static final String BASE = "https://t.acme.test";
    /** The links a new user's tracked email lost (404, and 414 for the long one). */
    static final List<String> ODD_LINKS = List.of(
            "https://example.com/a b",
            "https://example.com/?q=a|b",
            "https://example.com/{id}/view",
            "https://example.com/p%zz",
            "https://example.com/report?" + "filter=region%3Demea&".repeat(170));

    final HtmlRewriter rewriter = new HtmlRewriter(CODEC, BASE + "/");

    @Test
    void wrapsEveryAbsoluteLinkInOrderAndAddsThePixelAtTheEndOfTheBody() {
        String html = """
                <html><body><p>Hi <a href="https://acme.test/pricing">pricing</a></p>
                <div><span><a href="HTTP://Acme.test/A?x=1&amp;y=2">nested</a></span></div>
                <p>Bye</p></body></html>""";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", true, true);

        Document doc = Jsoup.parse(out.html());
        List<String> hrefs = doc.select("a").eachAttr("href");
        assertThat(out.wrappedLinks()).isEqualTo(2);
        assertThat(out.skipped()).isEmpty();
        assertThat(bound(hrefs.get(0))).isEqualTo(TrackingToken.click("act-1", "t-1", 0, "https://acme.test/pricing"));
        assertThat(bound(hrefs.get(1))).isEqualTo(TrackingToken.click("act-1", "t-1", 1, "HTTP://Acme.test/A?x=1&y=2"));
        Element pixel = doc.body().children().last();
        assertThat(pixel.tagName()).isEqualTo("img");
        assertThat(pixel.attr("src")).startsWith(BASE + "/t/o/").endsWith(".gif");
        assertThat(pixel.attr("alt")).isEmpty();
        assertThat(out.html()).endsWith("\"></body></html>");
    }

    @Test
    void everyByteOutsideTheWrappedHrefsIsTheSendersOwn() {
        String html = "<!DOCTYPE html>\r\n<HTML><Body>\n<a class=x HREF='https://acme.test/a?b=1&amp;c=&quot;2&quot;' >"
                + "One</a> &nbsp;&copy; <a href=\"mailto:a@acme.test?subject=Hi&amp;body=x\">mail</a>"
                + "<a href=https://acme.test/u?x=1&y=2>unquoted</a><!-- <a href=\"https://acme.test/c\"> -->"
                + "<style>a[href=\"https://acme.test/s\"]{}</style></Body></HTML>\r\n";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", true, true);

        List<String> wrapped =
                Jsoup.parse(out.html()).select("a[href^=" + BASE + "]").eachAttr("href");
        assertThat(wrapped).hasSize(2);
        String expected = html.replace("'https://acme.test/a?b=1&amp;c=&quot;2&quot;'", '"' + wrapped.get(0) + '"')
                .replace("href=https://acme.test/u?x=1&y=2>", "href=\"" + wrapped.get(1) + "\">")
                .replace("</Body>", pixel(out.html()) + "</Body>");
        assertThat(out.html()).isEqualTo(expected);
        assertThat(bound(wrapped.get(0)).url()).isEqualTo("https://acme.test/a?b=1&c=\"2\"");
        assertThat(bound(wrapped.get(1)).url()).isEqualTo("https://acme.test/u?x=1&y=2");
    }

    @Test
    void theLinksThatDiedAreWrappedWithTheirExactHrefOrLeftAsWritten() {
        StringBuilder html = new StringBuilder("<body>");
        ODD_LINKS.forEach(link ->
                html.append("<a href=\"").append(link.replace("&", "&amp;")).append("\">x</a>\n"));
        html.append("</body>");

        HtmlRewriter.Rewritten out = rewriter.rewrite(html.toString(), "act-1", "t-1", false, true);

        List<String> hrefs = Jsoup.parse(out.html()).select("a").eachAttr("href");
        for (int i = 0; i < 4; i++) {
            assertThat(bound(hrefs.get(i)).url()).isEqualTo(ODD_LINKS.get(i));
            assertThat(hrefs.get(i).length()).isLessThanOrEqualTo(TrackingTokenCodec.MAX_URL_CHARS);
        }
        assertThat(ODD_LINKS.get(4).length()).isGreaterThan(3_500);
        assertThat(hrefs.get(4)).isEqualTo(ODD_LINKS.get(4));
        assertThat(out.skipped()).containsExactly(Skip.TOO_LONG);
        assertThat(out.html()).contains(ODD_LINKS.get(4).replace("&", "&amp;"));
    }

    @Test
    void aLinkIsWrappedUpToTheUrlCapAndLeftAsWrittenPastIt() {
        String prefix = "https://acme.test/";
        int overhead = BASE.length()
                + "/t/c/".length()
                + CODEC.encode(TrackingToken.click("act-1", "t-1", 0, prefix)).length();
        // each 3 bytes of href add 4 characters of token
        int fits = prefix.length() + (TrackingTokenCodec.MAX_URL_CHARS - overhead) / 4 * 3;
        String atCap = prefix + "a".repeat(fits - prefix.length());
        String past = atCap + "aaa";

        HtmlRewriter.Rewritten out = rewriter.rewrite(
                "<a href=\"" + atCap + "\">a</a><a href=\"" + past + "\">b</a>", "act-1", "t-1", false, true);

        List<String> hrefs = Jsoup.parse(out.html()).select("a").eachAttr("href");
        assertThat(hrefs.get(0)).hasSizeBetween(TrackingTokenCodec.MAX_URL_CHARS - 3, TrackingTokenCodec.MAX_URL_CHARS);
        assertThat(bound(hrefs.get(0)).url()).isEqualTo(atCap);
        assertThat(hrefs.get(1)).isEqualTo(past);
        assertThat(out.skipped()).containsExactly(Skip.TOO_LONG);
    }

    @Test
    void leavesMailtoTelAnchorsRelativeAndScriptLinksAlone() {
        String html = """
                <body><a href="mailto:sales@acme.test">mail</a><a href="tel:+15551234">call</a>
                <a href="#section">jump</a><a href="/relative">rel</a><a href="javascript:alert(1)">js</a>
                <a href="  https://acme.test/spaced  ">spaced</a><a href="">empty</a><area href="*|UNSUB|*"></body>""";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", false, true);

        List<String> hrefs = Jsoup.parse(out.html()).select("a").eachAttr("href");
        assertThat(hrefs.subList(0, 5))
                .containsExactly(
                        "mailto:sales@acme.test", "tel:+15551234", "#section", "/relative", "javascript:alert(1)");
        // the token keeps the href as written; the redirect drops the spaces, as the browser would have
        assertThat(bound(hrefs.get(5)).url()).isEqualTo("  https://acme.test/spaced  ");
        assertThat(out.skipped())
                .containsExactly(
                        Skip.SCHEME, Skip.SCHEME, Skip.SCHEME, Skip.SCHEME, Skip.SCHEME, Skip.SCHEME, Skip.SCHEME);
        assertThat(out.pixel()).isFalse();
        assertThat(out.html()).isEqualTo(html.replace("\"  https://acme.test/spaced  \"", '"' + hrefs.get(5) + '"'));
    }

    @Test
    void unsubscribeAndOptedOutLinksAreNotWrapped() {
        String html = """
                <body><a href="https://acme.test/u?id=1">Unsubscribe</a>
                <a href="https://acme.test/unsubscribe/1">here</a>
                <a href="https://acme.test/prefs?action=OptOut">preferences</a>
                <a href="https://acme.test/p?id=2">opt out</a>
                <a href="https://acme.test/l?id=3" rel="nofollow unsubscribe">leave</a>
                <a href="https://acme.test/l?id=4" class="footer-unsub">leave</a>
                <a href="https://acme.test/prefs" data-mailtrail-notrack>preferences</a>
                <a href="https://acme.test/prefs" data-mailtrail-track="FALSE">preferences</a>
                <a href="https://acme.test/blog" data-mailtrail-track="true">blog</a></body>""";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", false, true);

        Document doc = Jsoup.parse(out.html());
        assertThat(out.skipped())
                .containsExactly(
                        Skip.UNSUBSCRIBE,
                        Skip.UNSUBSCRIBE,
                        Skip.UNSUBSCRIBE,
                        Skip.UNSUBSCRIBE,
                        Skip.UNSUBSCRIBE,
                        Skip.UNSUBSCRIBE,
                        Skip.OPT_OUT,
                        Skip.OPT_OUT);
        assertThat(bound(doc.select("a").last().attr("href")))
                .isEqualTo(TrackingToken.click("act-1", "t-1", 0, "https://acme.test/blog"));
        assertThat(out.html().substring(0, out.html().lastIndexOf("<a ")))
                .isEqualTo(html.substring(0, html.lastIndexOf("<a ")));
    }

    @Test
    void ourOwnOneClickUnsubscribeLinkCopiedIntoTheHtmlIsNeverWrapped() {
        String ours = "https://t.acme.test/u/" + CODEC.encode(TrackingToken.unsubscribe("act-1", "t-1"));
        String html = "<body><a href=\"" + ours + "\">stop these</a>\n<a href=\" HTTPS://T.ACME.TEST/u/abc\">x</a>\n"
                + "<a href=\"https://t.acme.test/uk/pricing\">pricing</a></body>";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", false, true);

        assertThat(out.skipped()).containsExactly(Skip.UNSUBSCRIBE, Skip.UNSUBSCRIBE);
        assertThat(out.wrappedLinks()).isEqualTo(1);
        assertThat(out.html()).contains("href=\"" + ours + "\"").doesNotContain("href=\"https://t.acme.test/uk/");
    }

    @Test
    void aControlCharacterFromACharacterReferenceLeavesTheLinkAsWritten() {
        String html = "<a href=\"https://acme.test/a&#1;b\">x</a><a href=\"https://acme.test/&#xD800;\">y</a>"
                + "<a href=\"https://acme.test/a\n b\">z</a>";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", false, true);

        assertThat(out.skipped()).containsExactly(Skip.MALFORMED, Skip.MALFORMED);
        assertThat(bound(Jsoup.parse(out.html()).select("a").last().attr("href"))
                        .url())
                .isEqualTo("https://acme.test/a\n b");
    }

    @Test
    void aLinkTheParserMovesOrClonesIsWrappedOnceInSourceOrder() {
        String html = "<table><tr><a href=\"https://acme.test/fostered\">f</a><td>cell</td></tr></table>"
                + "<b><a href=\"https://acme.test/misnested\"><p>para</b>text</a>";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", false, true);

        assertThat(out.wrappedLinks()).isEqualTo(2);
        List<String> hrefs = Jsoup.parse(out.html()).select("a").eachAttr("href").stream()
                .distinct()
                .toList();
        assertThat(hrefs)
                .extracting(href -> bound(href).url())
                .containsExactly("https://acme.test/fostered", "https://acme.test/misnested");
        assertThat(bound(hrefs.get(1)).linkIndex()).isEqualTo(1);
    }

    @Test
    void positionsHoldFarIntoALongBody() {
        String filler = "<p>" + "Lorem ipsum dolor sit amet &amp; más. ".repeat(4_000) + "</p>\n";
        String html = "<body>" + filler + "<a href=\"https://acme.test/late\">late</a>" + filler + "</body>";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", true, true);

        String href = Jsoup.parse(out.html()).select("a").attr("href");
        assertThat(bound(href).url()).isEqualTo("https://acme.test/late");
        assertThat(out.html())
                .isEqualTo(
                        html.replace("https://acme.test/late", href).replace("</body>", pixel(out.html()) + "</body>"));
    }

    @Test
    void aFragmentWithoutBodyTagGetsItsPixelAtTheEndAndNothingElse() {
        String html = "<p>Just a <b>fragment</b></p>";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", null, true, false);

        assertThat(out.html()).startsWith(html).isEqualTo(html + pixel(out.html()));
        assertThat(bound(Jsoup.parse(out.html()).select("img").attr("src").replace(".gif", "")))
                .isEqualTo(TrackingToken.open("act-1", null));
        String closedHtmlOnly = "<html><body><p>x</p></html>";
        assertThat(rewriter.rewrite(closedHtmlOnly, "act-1", null, true, false).html())
                .startsWith("<html><body><p>x</p><img ")
                .endsWith("\"></html>");
    }

    @Test
    void theSameRequestAlwaysYieldsTheSameBytes() {
        String html = "<body><a href=\"https://acme.test\">x</a></body>";

        assertThat(rewriter.rewrite(html, "act-1", "t-1", true, true))
                .isEqualTo(new HtmlRewriter(CODEC, BASE).rewrite(html, "act-1", "t-1", true, true));
    }

    @Test
    void withClicksOffLinksStayAsWrittenAndAreNotCounted() {
        String html = "<body><a href=\"https://acme.test\">x</a><a href=\"mailto:x@acme.test\">y</a></body>";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", false, false);

        assertThat(out).isEqualTo(new HtmlRewriter.Rewritten(html, false, 0, List.of()));
    }

    static boolean wrapped(String href) {
        return href.startsWith(BASE + "/t/c/");
    }

    /** The redirect's Location for a wrapped link. */
    static String location(String trackedUrl) {
        return LinkTarget.location(bound(trackedUrl).url());
    }

    static TrackingToken bound(String trackedUrl) {
        String token = trackedUrl.substring(trackedUrl.lastIndexOf('/') + 1);
        return CODEC.decode(token).orElseThrow(() -> new AssertionError("not a valid token: " + trackedUrl));
    }

    /** The pixel tag the rewriter inserted into {@code html}. */
    private static String pixel(String html) {
        int start = html.indexOf("<img src=\"" + BASE + "/t/o/");
        return html.substring(start, html.indexOf('>', start) + 1);
    }
}
