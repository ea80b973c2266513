package dev.mailtrail.send.replies;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How far the reply matcher looks when a reply names none of our kept Message-IDs ({@link MessageIdLookup}).
 *
 * @param window {@code MAILTRAIL_REPLY_LOOKUP_WINDOW}: only emails sent this recently without a kept Message-ID
 *               are asked about (a reply that beats every event of its email comes within minutes)
 * @param calls  {@code MAILTRAIL_REPLY_LOOKUP_CALLS}: at most this many {@code GET /emails/{id}} per reply, 0 = none
 */
@ConfigurationProperties("mailtrail.replies.lookup")
record ReplyLookupProperties(Duration window, int calls) {

    static final int MAX_CALLS = 50;

    ReplyLookupProperties {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("MAILTRAIL_REPLY_LOOKUP_WINDOW must be a positive duration");
        }
        if (calls < 0 || calls > MAX_CALLS) {
            throw new IllegalArgumentException("MAILTRAIL_REPLY_LOOKUP_CALLS must be 0 to " + MAX_CALLS);
        }
    }
}
