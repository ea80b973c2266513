package dev.mailtrail.send.replies;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.send.projection.MessageThreads;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Which activity an inbound email answers: the signed reply token in a recipient address
 * ({@code reply+<token>@<reply domain>}) first, else the first of its {@code In-Reply-To} and {@code References}
 * ids that is a Message-ID we sent, else none.
 */
final class ReplyMatcher {

    /** A reply's thread ids looked up at most: a References header of hundreds would be no reply of ours. */
    static final int MAX_THREAD_IDS = 50;

    private static final Pattern TOKEN_ADDRESS = Pattern.compile("(?i)(?:^|[<\\s,])reply\\+([A-Za-z0-9_-]{1,4096})@");
    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]{1,996}>");

    private final TrackingTokenCodec codec;
    private final MessageThreads threads;

    ReplyMatcher(TrackingTokenCodec codec, MessageThreads threads) {
        this.codec = codec;
        this.threads = threads;
    }

    Mono<ActivityKey> match(Collection<String> recipients, InboundEmail email) {
        Optional<ActivityKey> byToken = byToken(recipients);
        return byToken.map(Mono::just).orElseGet(() -> threads.owner(threadIds(email)));
    }

    Optional<ActivityKey> byToken(Collection<String> recipients) {
        for (String address : recipients) {
            Matcher m = TOKEN_ADDRESS.matcher(address == null ? "" : address);
            if (m.find()) {
                Optional<TrackingToken> token =
                        codec.decode(m.group(1)).filter(t -> t.kind() == TrackingToken.Kind.REPLY);
                if (token.isPresent() && token.get().tenantId() != null) {
                    return Optional.of(
                            new ActivityKey(token.get().tenantId(), token.get().activityId()));
                }
            }
        }
        return Optional.empty();
    }

    /** In-Reply-To's ids, then References' from the newest (last) back: the nearest message in the thread first. */
    static List<String> threadIds(InboundEmail email) {
        List<String> ids = new ArrayList<>(ids(email.header("In-Reply-To")));
        List<String> references = ids(email.header("References"));
        for (int i = references.size() - 1; i >= 0 && ids.size() < MAX_THREAD_IDS; i--) {
            if (!ids.contains(references.get(i))) {
                ids.add(references.get(i));
            }
        }
        return ids.size() > MAX_THREAD_IDS ? ids.subList(0, MAX_THREAD_IDS) : ids;
    }

    private static List<String> ids(String header) {
        List<String> ids = new ArrayList<>();
        if (header != null) {
            Matcher m = MESSAGE_ID.matcher(header);
            while (m.find() && ids.size() < MAX_THREAD_IDS) {
                ids.add(m.group());
            }
        }
        return ids;
    }
}
