package dev.mailtrail.send.replies;

import dev.mailtrail.events.AutoReplyKind;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A person's reply or an automatic one, from an inbound email's headers, subject and the start of its text: RFC 3834
 * ({@code Auto-Submitted} other than {@code no}) and common practice ({@code X-Autoreply}, {@code X-Autorespond},
 * {@code Precedence: auto_reply|bulk|junk}, Exchange's {@code X-Auto-Response-Suppress}-free "Automatic reply:"
 * subjects, delivery status reports). Pure: headers by name in any case, values unfolded.
 */
public final class ReplyClassifier {

    /** What an inbound email was: {@code kind} null for a person's reply. */
    public record Verdict(AutoReplyKind kind) {

        public boolean automatic() {
            return kind != null;
        }
    }

    static final Verdict PERSON = new Verdict(null);

    private static final Pattern OUT_OF_OFFICE = Pattern.compile(
            "out of (the )?office|automatic reply|auto[- ]?reply|autoreply|vacation|on leave|abwesenheit"
                    + "|absence|r[ée]ponse automatique|respuesta autom[áa]tica|away from (the )?office",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern DAEMON =
            Pattern.compile("(^|[<\\s])(mailer-daemon|postmaster)@", Pattern.CASE_INSENSITIVE);
    /** An unfolded header: CRLF (or LF) followed by white space is one space (RFC 5322 2.2.3). */
    private static final Pattern FOLD = Pattern.compile("\\r?\\n[ \\t]+");

    private ReplyClassifier() {}

    /** {@code headers} by name (any case), {@code from} the sender's address, {@code text} the text's start. */
    public static Verdict classify(Map<String, String> headers, String from, String subject, String text) {
        Headers h = new Headers(headers);
        if (h.contains("content-type", "multipart/report") && h.contains("content-type", "delivery-status")
                || (from != null && DAEMON.matcher(from).find())) {
            return new Verdict(AutoReplyKind.DELIVERY_STATUS);
        }
        String autoSubmitted = h.token("auto-submitted");
        boolean rfc3834 = autoSubmitted != null && !autoSubmitted.equals("no");
        boolean responder = h.present("x-autoreply") || h.present("x-autorespond");
        String precedence = h.token("precedence");
        boolean bulk = precedence != null && Pattern.matches("auto_reply|bulk|junk", precedence);
        boolean outOfOffice =
                OUT_OF_OFFICE.matcher(subject == null ? "" : subject).find();
        if (!(rfc3834 || responder || bulk || outOfOffice)) {
            return PERSON;
        }
        if (outOfOffice || (text != null && OUT_OF_OFFICE.matcher(text).find())) {
            return new Verdict(AutoReplyKind.OUT_OF_OFFICE);
        }
        if (responder || "auto-replied".equals(autoSubmitted) || "auto_reply".equals(precedence)) {
            return new Verdict(AutoReplyKind.AUTO_RESPONDER);
        }
        return new Verdict(AutoReplyKind.OTHER);
    }

    /** Header lookup by lower-cased name, values unfolded. */
    private record Headers(Map<String, String> byName) {

        Headers {
            Map<String, String> lower = new java.util.HashMap<>();
            byName.forEach((name, value) -> {
                if (name != null && value != null) {
                    lower.put(
                            name.trim().toLowerCase(Locale.ROOT),
                            FOLD.matcher(value).replaceAll(" "));
                }
            });
            byName = lower;
        }

        boolean present(String name) {
            String value = byName.get(name);
            return value != null && !value.isBlank();
        }

        /** The value's first token (before any {@code ;} parameter or comment), lower case; null when absent. */
        String token(String name) {
            String value = byName.get(name);
            if (value == null) {
                return null;
            }
            String token = value.split("[;(]", 2)[0].trim().toLowerCase(Locale.ROOT);
            return token.isEmpty() ? null : token;
        }

        boolean contains(String name, String part) {
            String value = byName.get(name);
            return value != null && value.toLowerCase(Locale.ROOT).contains(part);
        }
    }
}
