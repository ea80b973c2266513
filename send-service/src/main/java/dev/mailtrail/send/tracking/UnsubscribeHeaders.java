package dev.mailtrail.send.tracking;

import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one-click unsubscribe headers of a message (RFC 2369 {@code List-Unsubscribe}, RFC 8058
 * {@code List-Unsubscribe-Post}), for Resend's {@code headers} field. The link is our tracking edge's {@code /u/}
 * with a signed token of kind {@code UNSUBSCRIBE} naming the activity and, on one recipient's own message, that
 * recipient. Computed at acceptance and stored with the email: a retry sends the same bytes.
 */
@Component
public class UnsubscribeHeaders {

    public static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
    public static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";
    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";
    /** The tracking edge's path of unsubscribe links; links under it are never wrapped ({@link LinkRules}). */
    static final String PATH = "/u/";

    private final TrackingTokenCodec codec;
    private final String linkPrefix;
    private final boolean byDefault;

    @Autowired
    UnsubscribeHeaders(TrackingProperties tracking, UnsubscribeProperties properties) {
        this(new TrackingTokenCodec(TrackingKeys.parse(tracking.keys())), tracking.baseUrl(), properties.byDefault());
    }

    /** From its parts, for tests of what uses it. */
    public UnsubscribeHeaders(TrackingTokenCodec codec, String baseUrl, boolean byDefault) {
        this.codec = codec;
        this.linkPrefix = HtmlRewriter.withoutTrailingSlash(baseUrl) + PATH;
        this.byDefault = byDefault;
    }

    /** Whether the request's email carries them: as it asks, else the default. */
    public boolean wanted(SendEmailCommand command) {
        return command.unsubscribe() == null ? byDefault : command.unsubscribe();
    }

    /** The headers of one message ({@code recipient}: its index, which its token names; null: the only one). */
    public Map<String, String> headers(SendEmailCommand command, Integer recipient) {
        if (!wanted(command)) {
            return Map.of();
        }
        String token = codec.encode(TrackingToken.unsubscribe(command.activityId(), command.tenantId())
                .forRecipient(recipient));
        // in this order, every time: the stored body is what every attempt sends
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(LIST_UNSUBSCRIBE, "<" + linkPrefix + token + ">");
        headers.put(LIST_UNSUBSCRIBE_POST, ONE_CLICK);
        return Collections.unmodifiableMap(headers);
    }
}
