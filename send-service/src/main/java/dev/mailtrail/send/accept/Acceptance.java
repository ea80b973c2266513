package dev.mailtrail.send.accept;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.projection.ActivityStateRepository;
import dev.mailtrail.send.projection.PrivacyProperties;
import dev.mailtrail.send.projection.ProjectionBatch;
import dev.mailtrail.send.projection.RecipientPrivacy;
import dev.mailtrail.send.resend.ResendEmail;
import dev.mailtrail.send.sending.SendFacts;
import dev.mailtrail.send.sending.Sender;
import dev.mailtrail.send.suppression.Addresses;
import dev.mailtrail.send.suppression.SuppressionList;
import dev.mailtrail.send.suppression.SuppressionMetrics;
import dev.mailtrail.send.tracking.EmailTracking;
import dev.mailtrail.send.tracking.ReplyAddresses;
import dev.mailtrail.send.tracking.UnsubscribeHeaders;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;

/**
 * Accepts a valid command once, in one transaction: the request row with the email to send (computed here, tracking
 * included), and the queued fact both applied to the activity's state (a read right after shows QUEUED; the copy
 * that comes back through Kafka is a duplicate) and put in the outbox. The same command again is a duplicate;
 * another one for an activity the same tenant had accepted is a conflict (another tenant's same id is another
 * activity).
 * <p>
 * Recipients on the tenant's suppression list are dropped first ({@link Suppressed}); with none left (or no
 * {@code to} left), the request is stored as SUPPRESSED, never to be sent, and the activity ends SUPPRESSED.
 */
@Component
class Acceptance {

    enum Outcome {
        ACCEPTED,
        DUPLICATE,
        CONFLICT
    }

    /** The outcome, the activity's status now, and the recipients the suppression list dropped. */
    record Result(Outcome outcome, ActivityStatus status, List<Suppressed.Dropped> suppressed) {}

    private static final ObjectWriter CANONICAL =
            WireJson.mapper().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final ProjectionBatch projection;
    private final Outbox outbox;
    private final ActivityStateRepository states;
    private final EmailTracking tracking;
    private final UnsubscribeHeaders unsubscribe;
    private final ReplyAddresses replies;
    private final Sender sender;
    private final SuppressionList suppressions;
    private final SuppressionMetrics suppressionMetrics;
    private final Clock clock;
    private final RecipientPrivacy privacy;
    private final PrivacyProperties privacyProperties;

    Acceptance(
            DatabaseClient db,
            TransactionalOperator transaction,
            ProjectionBatch projection,
            Outbox outbox,
            ActivityStateRepository states,
            EmailTracking tracking,
            UnsubscribeHeaders unsubscribe,
            ReplyAddresses replies,
            Sender sender,
            SuppressionList suppressions,
            SuppressionMetrics suppressionMetrics,
            Clock clock,
            RecipientPrivacy privacy,
            PrivacyProperties privacyProperties) {
        this.db = db;
        this.transaction = transaction;
        this.projection = projection;
        this.outbox = outbox;
        this.states = states;
        this.tracking = tracking;
        this.unsubscribe = unsubscribe;
        this.replies = replies;
        this.sender = sender;
        this.suppressions = suppressions;
        this.suppressionMetrics = suppressionMetrics;
        this.clock = clock;
        this.privacy = privacy;
        this.privacyProperties = privacyProperties;
    }

    Mono<Result> accept(SendEmailCommand command) {
        return Mono.defer(() -> consented(command)
                .flatMap(consented -> suppressions
                        .find(command.tenantId(), Suppressed.addresses(command))
                        .map(found -> Suppressed.of(command, found))
                        .flatMap(suppressed -> accept(command, suppressed, consented))));
    }

    private Mono<Result> accept(SendEmailCommand command, Suppressed suppressed, Predicate<String> consented) {
        Instant now = clock.instant();
        String fingerprint = fingerprint(command);
        Mono<Boolean> stored;
        List<EmailEvent> facts;
        if (suppressed.nobodyLeft()) {
            EmailEvent queued = SendFacts.queued(
                    command, suppressed.toAddresses(), false, OpenTracking.NOT_TRACKED, OwnTracking.NONE, now);
            facts = List.of(queued, SendFacts.suppressed(command, suppressed.reason(), now));
            stored = insertSuppressed(command, fingerprint, now);
        } else {
            SendEmailCommand remaining = suppressed.remaining();
            Copies copies = Copies.of(remaining, tracking, unsubscribe, replies, consented);
            facts = List.of(SendFacts.queued(
                    remaining, copies.recipients(), copies.perRecipient(), copies.openTracking(), copies.own(), now));
            stored = insert(remaining, fingerprint, copies, now);
        }
        return stored.flatMap(inserted -> inserted
                        ? projection
                                .apply(facts)
                                .then(outbox.add(
                                        facts.stream().map(SendFacts::message).toList()))
                                .thenReturn(Outcome.ACCEPTED)
                        : fingerprintOf(command)
                                .map(existing -> existing.equals(fingerprint) ? Outcome.DUPLICATE : Outcome.CONFLICT))
                .as(transaction::transactional)
                .doOnNext(outcome -> {
                    if (outcome == Outcome.ACCEPTED) {
                        suppressionMetrics.dropped(suppressed.dropped().stream()
                                .map(Suppressed.Dropped::reason)
                                .toList());
                        if (!suppressed.nobodyLeft()) {
                            sender.trigger();
                        }
                    }
                })
                .flatMap(outcome -> states.find(new ActivityKey(command.tenantId(), command.activityId()))
                        .map(ActivityState::status)
                        .defaultIfEmpty(ActivityStatus.QUEUED)
                        .map(status -> new Result(outcome, status, suppressed.dropped())));
    }

    /**
     * A request none of whose recipients may be mailed: its one row, SUPPRESSED and never claimed (its dispatch key
     * {@link SendFacts#SUPPRESSED_DISPATCH_KEY} names no call), kept so the same request again is a duplicate and another a conflict.
     */
    private Mono<Boolean> insertSuppressed(SendEmailCommand command, String fingerprint, Instant now) {
        return db.sql("""
                INSERT INTO send_request (activity_id, tenant_id, fingerprint, email, open_tracking, status,
                    accepted_at, updated_at, dispatch_key, failure_reason)
                VALUES ($1, $2, $3, $4::json, 'NOT_TRACKED', 'SUPPRESSED', $5, $5, $6, 'suppressed')
                ON CONFLICT (tenant_id, activity_id, recipient_index) DO NOTHING""")
                .bind(0, command.activityId())
                .bind(1, command.tenantId())
                .bind(2, fingerprint)
                .bind(3, ResendEmail.json(command, command.html(), Map.of()))
                .bind(4, now.atOffset(ZoneOffset.UTC))
                .bind(5, SendFacts.SUPPRESSED_DISPATCH_KEY)
                .fetch()
                .rowsUpdated()
                .map(inserted -> inserted == 1);
    }

    /**
     * Which of the tracked (to, cc) addresses may be tracked now: not one who denied, and where the tenant requires
     * consent, only one who granted it. One lookup, and none when no tracking was asked for.
     */
    private Mono<Predicate<String>> consented(SendEmailCommand command) {
        if (!EmailTracking.asked(command)) {
            return Mono.just(address -> true);
        }
        boolean required = privacyProperties.consentRequired(command.tenantId());
        List<String> hashes = Stream.concat(command.to().stream(), command.cc().stream())
                .map(a -> privacy.hash(command.tenantId(), Addresses.bare(a).orElse(a)))
                .distinct()
                .toList();
        return privacy.entries(hashes).map(entries -> address -> {
            RecipientPrivacy.Entry entry = entries.get(privacy.hash(command.tenantId(), address));
            RecipientPrivacy.Consent said = entry == null ? null : entry.tracking();
            return required ? said == RecipientPrivacy.Consent.GRANTED : said != RecipientPrivacy.Consent.DENIED;
        });
    }

    /**
     * The request's rows, one per message: the first (index 0, which every accepted request has) decides, so a
     * request accepted before, or at the same time by another transaction, adds none of the others.
     */
    private Mono<Boolean> insert(SendEmailCommand command, String fingerprint, Copies copies, Instant now) {
        List<Copies.Copy> messages = copies.messages();
        return insert(command, fingerprint, copies, now, messages.subList(0, 1))
                .filter(inserted -> inserted == 1)
                .flatMap(first -> messages.size() == 1
                        ? Mono.just(true)
                        : insert(command, fingerprint, copies, now, messages.subList(1, messages.size()))
                                .thenReturn(true))
                .defaultIfEmpty(false);
    }

    private Mono<Long> insert(
            SendEmailCommand command, String fingerprint, Copies copies, Instant now, List<Copies.Copy> rows) {
        // each message's normalised recipients, which the sender checks again before the first attempt
        List<Map.Entry<String, Integer>> addresses = new ArrayList<>();
        if (copies.perRecipient()) {
            rows.forEach(r -> addresses.add(
                    Map.entry(Addresses.normalised(copies.recipients().get(r.index())), r.index())));
        } else {
            Suppressed.addresses(command).forEach(a -> addresses.add(Map.entry(a, 0)));
        }
        return db.sql("""
                INSERT INTO send_request (activity_id, tenant_id, fingerprint, email, open_tracking, status,
                    accepted_at, updated_at, recipient_index, per_recipient, recipients)
                SELECT $1, $2, $3, m.email::json, $4, 'QUEUED', $5, $5, m.recipient_index, $6,
                    ARRAY(SELECT a.address FROM unnest($9::text[], $10::int[]) AS a(address, recipient_index)
                          WHERE a.recipient_index = m.recipient_index)
                FROM unnest($7::text[], $8::int[]) AS m(email, recipient_index)
                ON CONFLICT (tenant_id, activity_id, recipient_index) DO NOTHING""")
                .bind(0, command.activityId())
                .bind(1, command.tenantId())
                .bind(2, fingerprint)
                .bind(3, copies.openTracking().name())
                .bind(4, now.atOffset(ZoneOffset.UTC))
                .bind(5, copies.perRecipient())
                .bind(6, rows.stream().map(Copies.Copy::email).toArray(String[]::new))
                .bind(7, rows.stream().map(Copies.Copy::index).toArray(Integer[]::new))
                .bind(8, addresses.stream().map(Map.Entry::getKey).toArray(String[]::new))
                .bind(9, addresses.stream().map(Map.Entry::getValue).toArray(Integer[]::new))
                .fetch()
                .rowsUpdated();
    }

    /** The accepted request's, of the caller's own tenant: another tenant's activity of that id is another one. */
    private Mono<String> fingerprintOf(SendEmailCommand command) {
        return db.sql("SELECT fingerprint FROM send_request"
                        + " WHERE tenant_id = $1 AND activity_id = $2 AND recipient_index = 0")
                .bind(0, command.tenantId())
                .bind(1, command.activityId())
                .map(row -> row.get("fingerprint", String.class))
                .one();
    }

    /** The same request however it arrived (HTTP or Kafka, any key order): SHA-256 of its canonical JSON. */
    static String fingerprint(SendEmailCommand c) {
        SendEmailCommand canonical = new SendEmailCommand(
                SendEmailCommand.SCHEMA_VERSION,
                c.activityId(),
                c.tenantId(),
                c.from(),
                c.to(),
                c.cc(),
                c.bcc(),
                c.replyTo(),
                c.subject(),
                c.html(),
                c.text(),
                c.tags(),
                c.tracking(),
                c.unsubscribe());
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(canonical)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
