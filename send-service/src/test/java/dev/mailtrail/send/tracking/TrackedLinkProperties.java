package dev.mailtrail.send.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.send.Chromium;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import net.jqwik.api.statistics.Statistics;
import org.jsoup.Jsoup;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A tracked link takes the recipient where the sender's href would have, as a real browser sees both: Chromium
 * reads the sender's html and the rewritten html, and parses the href and our redirect's {@code Location}. Every
 * link is either wrapped (its token holds the href exactly; {@code Location} leads to the same URL) or left exactly
 * as written.
 */
@AddLifecycleHook(TrackedLinkProperties.NeedsChromium.class)
class TrackedLinkProperties {

    static final String BASE = HtmlRewriterTests.BASE;
    /** What the browser reads in both documents: each link's href, and the URL each href and each redirect parse to. */
    static final String READ = """
            const links = html => Array.from(new DOMParser().parseFromString(html, 'text/html')
                .querySelectorAll('a[href], area[href]')).map(a => a.getAttribute('href'));
            const follow = href => { try { return new URL(href).href; } catch (e) { return 'not a URL'; } };
            const sent = links(arguments[0]);
            return [sent, sent.map(follow), links(arguments[1]), arguments[2].map(follow)];
            """;

    static final Pattern UNSUBSCRIBE = Pattern.compile("unsub|opt[-_ ]?out", Pattern.CASE_INSENSITIVE);

    static ChromeDriver browser;

    final HtmlRewriter rewriter = new HtmlRewriter(HtmlRewriterTests.CODEC, BASE);

    @BeforeContainer
    static void startBrowser() {
        browser = Chromium.start();
        // a plain page: the browser's own start page allows no DOMParser
        browser.get("about:blank");
    }

    @AfterContainer
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Property(tries = 300)
    @SuppressWarnings("unchecked")
    void aWrappedLinkLeadsWhereItsHrefDidAndAnyOtherStaysAsWritten(
            @ForAll("emails") List<Link> links, @ForAll boolean opens) {
        String html = html(links);

        HtmlRewriter.Rewritten out = rewriter.rewrite(html, "act-1", "t-1", opens, true);

        List<String> rewritten =
                Jsoup.parse(out.html()).select("a[href], area[href]").eachAttr("href");
        List<String> locations = rewritten.stream()
                .filter(HtmlRewriterTests::wrapped)
                .map(HtmlRewriterTests::location)
                .toList();
        List<List<String>> read = (List<List<String>>) browser.executeScript(READ, html, out.html(), locations);
        List<String> sent = read.get(0);
        List<String> sentFollows = read.get(1);
        List<String> received = read.get(2);
        List<String> redirectFollows = read.get(3);
        List<String> sentByJsoup =
                Jsoup.parse(html).select("a[href], area[href]").eachAttr("href");
        assertThat(received).hasSameSizeAs(sent).hasSameSizeAs(links);
        int redirect = 0;
        for (int i = 0; i < links.size(); i++) {
            Link link = links.get(i);
            if (!HtmlRewriterTests.wrapped(rewritten.get(i))) {
                assertThat(received.get(i)).as("left as written").isEqualTo(sent.get(i));
                assertThat(out.html()).contains(link.markup());
                assertThat(link.kind() != Kind.WEB || tooLong(sent.get(i)) || unsubscribe(sent.get(i)))
                        .as("why %s was not wrapped: %s", sent.get(i), out.skipped())
                        .isTrue();
                continue;
            }
            String bound = HtmlRewriterTests.bound(rewritten.get(i)).url();
            String location = locations.get(redirect);
            assertThat(link.kind()).isEqualTo(Kind.WEB);
            assertThat(bound).isEqualTo(sentByJsoup.get(i));
            // a browser reads CR LF and CR in html as LF; the URL parser then drops them all
            assertThat(bound.replace("\r\n", "\n").replace('\r', '\n')).isEqualTo(sent.get(i));
            assertThat(location).matches("[!-~]+");
            assertThat(redirectFollows.get(redirect))
                    .as("where %s leads", location)
                    .isEqualTo(sentFollows.get(i));
            redirect++;
        }
        Statistics.label("links")
                .collect(redirect == 0 ? "none wrapped" : redirect == links.size() ? "all wrapped" : "some wrapped");
        Statistics.label("long query")
                .collect(links.stream().anyMatch(l -> l.markup().length() > 1_500));
    }

    private static boolean tooLong(String href) {
        // a token takes 4 characters per 3 bytes of href, plus the ids, the key id and the MAC
        return BASE.length() + 5 + (href.getBytes(StandardCharsets.UTF_8).length + 80) * 4 / 3
                > TrackingTokenCodec.MAX_URL_CHARS - 50;
    }

    private static boolean unsubscribe(String href) {
        return UNSUBSCRIBE.matcher(href).find();
    }

    // ---- the emails: links of every kind in html of every quoting and escaping

    enum Kind {
        WEB,
        OTHER
    }

    record Link(String markup, Kind kind) {}

    static String html(List<Link> links) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body>\n<p>Hello &amp; welcome,</p>\n");
        links.forEach(link -> html.append("<p>").append(link.markup()).append("</p>\n"));
        return html.append("</body></html>\n").toString();
    }

    @Provide
    Arbitrary<List<Link>> emails() {
        Arbitrary<Link> web = Combinators.combine(webHrefs(), escapes())
                .as((href, escape) -> new Link(escape.anchor(href, false), Kind.WEB));
        Arbitrary<Link> other = Combinators.combine(otherHrefs(), escapes())
                .as((href, escape) -> new Link(escape.anchor(href, true), Kind.OTHER));
        return Arbitraries.frequencyOf(Tuple.of(4, web), Tuple.of(1, other))
                .list()
                .ofMinSize(1)
                .ofMaxSize(6);
    }

    Arbitrary<String> webHrefs() {
        Arbitrary<String> scheme = Arbitraries.of("https://", "http://", "HTTPS://", "hTtP://");
        Arbitrary<String> host = Arbitraries.of(
                "example.com",
                "EXAMPLE.com",
                "bücher.example",
                "例え.テスト",
                "sub.x-y.test:8443",
                "127.0.0.1:8080",
                "[::1]",
                "user:pa%20ss@acme.test",
                "usér@acme.test",
                "acme.test:443");
        Arbitrary<String> path = text().map(t -> "/" + t);
        Arbitrary<String> query =
                Arbitraries.oneOf(text(), longQuery()).map(t -> "?" + t).injectNull(0.3);
        Arbitrary<String> fragment = text().map(t -> "#" + t).injectNull(0.6);
        Arbitrary<String> around = Arbitraries.of("", "", "", " ", "\n  ", "\t");
        return Combinators.combine(around, scheme, host, path, query, fragment, around)
                .as((before, s, h, p, q, f, after) ->
                        before + s + h + p + (q == null ? "" : q) + (f == null ? "" : f) + after);
    }

    /** Path, query or fragment text: unreserved, reserved, unsafe, unicode, escapes valid and stray, line breaks. */
    Arbitrary<String> text() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(
                        6,
                        Arbitraries.strings()
                                .withCharRange('a', 'z')
                                .withCharRange('A', 'Z')
                                .withCharRange('0', '9')
                                .withChars("-._~")
                                .ofMinLength(1)
                                .ofMaxLength(8)),
                Tuple.of(
                        4,
                        Arbitraries.of(
                                ":", "/", "?", "#", "[", "]", "@", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";",
                                "=")),
                Tuple.of(3, Arbitraries.of(" ", "\"", "<", ">", "\\", "^", "`", "{", "}", "|", "{id}")),
                Tuple.of(3, Arbitraries.of("%20", "%2F", "%C3%A9", "%zz", "%", "%4", "%%", "%E2%82")),
                Tuple.of(
                        3, Arbitraries.of("é", "ß", "日本", "😀", "\u00A0", "\u2028", "\u202E", "\uFEFF", "\uFFFD", "Ω")),
                Tuple.of(2, Arbitraries.chars().range('\u00A1', '\uD7FF').map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("\n", "\r\n", "\t", "\r")));
        return piece.list().ofMaxSize(12).map(pieces -> String.join("", pieces));
    }

    /** Up to about 3 KB: some fit the cap, some do not. */
    Arbitrary<String> longQuery() {
        return Arbitraries.integers().between(20, 300).map(n -> "filter=a%26b&q=" + "x|y é".repeat(n));
    }

    Arbitrary<String> otherHrefs() {
        return Arbitraries.of(
                "mailto:sales@acme.test?subject=Hi there&body=a|b",
                "tel:+1 555 0100",
                "#top",
                "",
                "/relative/a b",
                "relative?q=é",
                "javascript:void(0)",
                "*|UNSUB|*",
                "ftp://acme.test/f",
                "https://acme.test/unsubscribe?u=1",
                "https://acme.test/p?action=opt-out",
                "https:acme.test",
                "https://acme.test/a&#1;b",
                "https://acme.test/&#xD800;");
    }

    /** How the sender's html spells an href: quotes, and which characters are written as character references. */
    record Escape(char quote, boolean numeric) {

        /** {@code references}: the href's own {@code &#…;} (a control, a lone surrogate) stay references. */
        String anchor(String href, boolean references) {
            StringBuilder value = new StringBuilder();
            for (String part : href.split("(?=&#)|(?<=;)")) {
                if (references && part.startsWith("&#") && part.endsWith(";")) {
                    value.append(part);
                    continue;
                }
                part.codePoints().forEach(c -> value.append(escaped(c)));
            }
            return "<a class=\"link\" href=" + quote + value + quote + ">go</a>";
        }

        private String escaped(int c) {
            if (c == '&') {
                return "&amp;";
            }
            if (c == quote) {
                return "&#" + c + ";";
            }
            if (numeric && c > 0x7E) {
                return "&#x" + Integer.toHexString(c) + ";";
            }
            return Character.toString(c);
        }
    }

    Arbitrary<Escape> escapes() {
        return Combinators.combine(Arbitraries.of('"', '\''), Arbitraries.of(false, true))
                .as(Escape::new);
    }

    /** Without a browser there is nothing to compare with: skipped on a developer machine, never in CI. */
    static final class NeedsChromium implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return Chromium.installed() ? SkipResult.doNotSkip() : SkipResult.skip(Chromium.MISSING);
        }
    }
}
