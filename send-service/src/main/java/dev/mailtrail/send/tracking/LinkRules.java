package dev.mailtrail.send.tracking;

import dev.mailtrail.events.WireText;
import dev.mailtrail.events.tracking.LinkTarget;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;

/**
 * Which links stay exactly as the sender wrote them, and why. A link is wrapped only when it leads to an absolute
 * http(s) URL and nothing says it must not pass through us.
 */
final class LinkRules {

    /** Why a link was left as written: the {@code reason} of {@code mailtrail.tracking.rewrite{outcome=skipped}}. */
    enum Skip {
        /** The sender marked it: {@value #NO_TRACK}, or {@value #TRACK}{@code ="false"}. */
        OPT_OUT,
        /** Not an absolute http(s) link: {@code mailto:}, {@code tel:}, {@code #anchor}, relative, a merge tag. */
        SCHEME,
        /**
         * An unsubscribe link: a security scanner following it through us, or a person seeing a tracking URL there,
         * would be wrong, and a sender may not track it (RFC 8058's one-click targets look the same).
         */
        UNSUBSCRIBE,
        /** A control character other than tab, CR or LF, or an unpaired surrogate (only character references give them). */
        MALFORMED,
        /** Its tracking URL would be longer than {@code TrackingTokenCodec.MAX_URL_CHARS}. */
        TOO_LONG;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Present (any value): the link stays as written. */
    static final String NO_TRACK = "data-mailtrail-notrack";
    /** {@code "false"} (any case): the link stays as written. */
    static final String TRACK = "data-mailtrail-track";
    /** In the href, the link's text, or its rel, class or id, any case: "unsub…", "opt-out", "opt out", "optout". */
    private static final Pattern UNSUBSCRIBE = Pattern.compile("unsub|opt[-_ ]?out", Pattern.CASE_INSENSITIVE);

    private LinkRules() {}

    /**
     * Why this link stays as written, if it does; its length is the rewriter's to judge. {@code ourUnsubscribe}: the
     * start of our own unsubscribe links ({@code https://t.acme.test/u/}), which a sender may have copied into the
     * html.
     */
    static Optional<Skip> skip(Element link, String href, String ourUnsubscribe) {
        if (link.hasAttr(NO_TRACK) || "false".equalsIgnoreCase(link.attr(TRACK).trim())) {
            return Optional.of(Skip.OPT_OUT);
        }
        if (!LinkTarget.isWeb(href)) {
            return Optional.of(Skip.SCHEME);
        }
        if (unsubscribe(link, href) || ours(href, ourUnsubscribe)) {
            return Optional.of(Skip.UNSUBSCRIBE);
        }
        if (WireText.firstForbidden(href, true) >= 0) {
            return Optional.of(Skip.MALFORMED);
        }
        return Optional.empty();
    }

    /** As a browser reads the href: surrounding spaces dropped, scheme and host in any case. */
    private static boolean ours(String href, String ourUnsubscribe) {
        return href.strip().regionMatches(true, 0, ourUnsubscribe, 0, ourUnsubscribe.length());
    }

    private static boolean unsubscribe(Element link, String href) {
        for (String where : new String[] {href, link.text(), link.attr("rel"), link.className(), link.id()}) {
            if (UNSUBSCRIBE.matcher(where).find()) {
                return true;
            }
        }
        return false;
    }
}
