package dev.mailtrail.send.tracking;

import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.WireText;
import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The {@code Reply-To} of a message: with a reply domain configured, {@code reply+<token>@<domain>}, the token a
 * signed one of kind {@code REPLY} naming the activity and, on one recipient's own message, that recipient — the reply
 * matcher's first and surest path. The sender's own Reply-To is kept when given, unless its tenant is one whose
 * replies must come back to us. Computed at acceptance and stored with the email: a retry sends the same bytes.
 */
@Component
public class ReplyAddresses {

    private static final String LOCAL_PREFIX = "reply+";

    private final TrackingTokenCodec codec;
    private final String domain;
    private final Set<String> replacing;

    @Autowired
    ReplyAddresses(TrackingProperties tracking, ReplyAddressProperties properties) {
        this(
                new TrackingTokenCodec(TrackingKeys.parse(tracking.keys())),
                properties.domain(),
                properties.tenantReplyAddress());
    }

    /** From its parts, for tests of what uses it ({@code domain} null: no reply addresses). */
    public ReplyAddresses(TrackingTokenCodec codec, String domain, Set<String> replacing) {
        this.codec = codec;
        this.domain = domain;
        this.replacing = Set.copyOf(replacing);
    }

    /** The Reply-To of one message ({@code recipient}: its index, which its token names; null: the only one). */
    public String replyTo(SendEmailCommand command, Integer recipient) {
        if (domain == null || (command.replyTo() != null && !replacing.contains(command.tenantId()))) {
            return command.replyTo();
        }
        String address = LOCAL_PREFIX
                + codec.encode(TrackingToken.reply(command.activityId(), command.tenantId())
                        .forRecipient(recipient))
                + "@" + domain;
        // long ids make a long token: past an address's limit the reply is left to its In-Reply-To
        return address.length() <= WireText.ADDRESS_MAX ? address : command.replyTo();
    }
}
