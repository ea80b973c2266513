package dev.mailtrail.ingest.tracking;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The unsubscribe link's pages for a person who opened it in a browser: the confirmation whose button POSTs the
 * one-click form, the answer to that, and the page for a link that is not ours. Plain HTML with nothing to load and
 * nothing to run (the policy forbids both), never framed, never cached, no referrer.
 */
final class UnsubscribePage {

    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private UnsubscribePage() {}

    /** No action: the form posts to the page's own URL, whatever host or prefix a proxy put in front. */
    static ResponseEntity<String> confirm() {
        return page(HttpStatus.OK, "Unsubscribe", """
                <p>Stop receiving these emails?</p>
                <form method="post">
                <input type="hidden" name="%s" value="%s">
                <input type="hidden" name="%s" value="%s">
                <button type="submit">Unsubscribe</button>
                </form>""".formatted(
                UnsubscribeForm.FIELD, UnsubscribeForm.ONE_CLICK, UnsubscribeForm.FROM, UnsubscribeForm.FROM_PAGE));
    }

    static ResponseEntity<String> done() {
        return page(
                HttpStatus.OK, "Unsubscribed", "<p>You are unsubscribed. You will not receive these emails again.</p>");
    }

    static ResponseEntity<String> notFound() {
        return page(HttpStatus.NOT_FOUND, "Unknown link", "<p>This unsubscribe link is not valid.</p>");
    }

    private static ResponseEntity<String> page(HttpStatus status, String title, String body) {
        String html = """
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="robots" content="noindex"><title>%s</title></head>
                <body>
                <h1>%s</h1>
                %s
                </body>
                </html>
                """.formatted(title, title, body);
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .body(html);
    }
}
