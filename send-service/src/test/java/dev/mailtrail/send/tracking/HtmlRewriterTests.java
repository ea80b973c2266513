package dev.mailtrail.send.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;

import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class HtmlRewriterTests {

    static final TrackingTokenCodec CODEC = new TrackingTokenCodec(TrackingKeys.parse(
            "k1:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes())));
    static final String BASE = "https://t.acme.test";

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
        assertThat(bound(hrefs.get(0))).isEqualTo(TrackingToken.click("act-1", "t-1", 0, "https://acme.test/pricing"));
        assertThat(bound(hrefs.get(1))).isEqualTo(TrackingToken.click("act-1", "t-1", 1, "HTTP://Acme.test/A?x=1&y=2"));
        Element pixel = doc.body().children().last();
        assertThat(pixel.tagName()).isEqualTo("img");
        assertThat(pixel.attr("src")).startsWith(BASE + "/t/o/").endsWith(".gif");
        assertThat(pixel.attr("alt")).isEmpty();
    }

    @Test
    void leavesMailtoTelAnchorsRelativeAndScriptLinksAlone() {
        String html = """
                <body><a href="mailto:sales@acme.test">mail</a><a href="tel:+15551234">call</a>
                <a href="#section">jump</a><a href="/relative">rel</a><a href="javascript:alert(1)">js</a>
                <a href="  https://acme.test/spaced  ">spaced</a></body>""";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", false, true);

        List<String> hrefs = Jsoup.parse(out.html()).select("a").eachAttr("href");
        assertThat(hrefs.subList(0, 5)).containsExactly("mailto:sales@acme.test", "tel:+15551234", "#section",
                "/relative", "javascript:alert(1)");
        assertThat(bound(hrefs.get(5)).url()).isEqualTo("https://acme.test/spaced");
        assertThat(out.pixel()).isFalse();
        assertThat(out.html()).doesNotContain("/t/o/");
    }

    @Test
    void unsubscribeAndOptedOutLinksAreNotWrapped() {
        String html = """
                <body><a href="https://acme.test/u?id=1">Unsubscribe</a>
                <a href="https://acme.test/unsubscribe/1">here</a>
                <a href="https://acme.test/prefs" data-mailtrail-notrack>preferences</a>
                <a href="https://acme.test/blog">blog</a></body>""";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", true, true);

        Document doc = Jsoup.parse(out.html());
        assertThat(doc.select("a").eachAttr("href").subList(0, 3)).containsExactly("https://acme.test/u?id=1",
                "https://acme.test/unsubscribe/1", "https://acme.test/prefs");
        assertThat(doc.select("[data-mailtrail-notrack]")).isEmpty();
        assertThat(bound(doc.select("a").get(3).attr("href"))).isEqualTo(
                TrackingToken.click("act-1", "t-1", 0, "https://acme.test/blog"));
    }

    @Test
    void aFragmentWithoutBodyTagStillGetsItsPixel() {
        HtmlRewriter.Rewritten out = rewriter.rewrite("<p>Just a <b>fragment</b></p>", "act-1", null, true, false);

        Document doc = Jsoup.parse(out.html());
        assertThat(doc.select("p b").text()).isEqualTo("fragment");
        assertThat(bound(doc.select("img").attr("src").replace(".gif", ""))).isEqualTo(TrackingToken.open("act-1", null));
    }

    @Test
    void theSameRequestAlwaysYieldsTheSameBytes() {
        String html = "<body><a href=\"https://acme.test\">x</a></body>";

        assertThat(rewriter.rewrite(html, "act-1", "t-1", true, true))
                .isEqualTo(new HtmlRewriter(CODEC, BASE).rewrite(html, "act-1", "t-1", true, true));
    }

    @Test
    void withClicksOffLinksStayAsWritten() {
        String html = "<body><a href=\"https://acme.test\">x</a></body>";

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", true, false);

        assertThat(Jsoup.parse(out.html()).select("a").attr("href")).isEqualTo("https://acme.test");
        assertThat(out.wrappedLinks()).isZero();
    }

    static TrackingToken bound(String trackedUrl) {
        String token = trackedUrl.substring(trackedUrl.lastIndexOf('/') + 1);
        return CODEC.decode(token).orElseThrow(() -> new AssertionError("not a valid token: " + trackedUrl));
    }
}
