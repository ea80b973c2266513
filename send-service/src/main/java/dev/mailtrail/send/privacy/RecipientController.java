package dev.mailtrail.send.privacy;

import dev.mailtrail.events.WireText;
import dev.mailtrail.send.auth.ApiCaller;
import dev.mailtrail.send.projection.RecipientPrivacy;
import dev.mailtrail.send.web.ApiDocumentation;
import dev.mailtrail.send.web.ProblemException;
import dev.mailtrail.send.web.ProblemException.FieldError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A person's rights over what the tenant's mail recorded about them: erase (GDPR art. 17) and tracking consent. The
 * tenant rules are the activities' ones: a tenant-bound token acts in its own tenant only (another one named is as
 * unknown as a missing one), an all-tenant token must name the tenant.
 */
@RestController
// every route needs the bearer token: its 401 is documented once, for all of them
@ApiResponse(
        responseCode = "401",
        description = "No or an unknown bearer token",
        content =
                @Content(
                        mediaType = ApiDocumentation.PROBLEM_JSON,
                        examples = @ExampleObject(value = ApiDocumentation.UNAUTHORIZED)))
// every route names a tenant: a tenant the token may not see is a 404, documented once (springdoc lets a
// controller-level response win over a route's own of the same code, so only where all routes say the same)
@ApiResponse(
        responseCode = "404",
        description = "A tenant this token may not see",
        content =
                @Content(
                        mediaType = ApiDocumentation.PROBLEM_JSON,
                        examples = @ExampleObject(value = ApiDocumentation.NOT_FOUND)))
class RecipientController {

    static final String TENANT_ID =
            "The recipient's tenant: implied by a tenant-bound token, required with an " + "all-tenant token";

    private final Erasure erasure;
    private final RecipientPrivacy privacy;
    private final Clock clock;

    RecipientController(Erasure erasure, RecipientPrivacy privacy, Clock clock) {
        this.erasure = erasure;
        this.privacy = privacy;
        this.clock = clock;
    }

    /** The consent body: {@code tracking} is {@code granted} or {@code denied}. */
    record ConsentRequest(String tenantId, String email, String tracking) {}

    @DeleteMapping("/api/crm/recipients")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(
            summary = "Erase a recipient: their address, subjects, link URLs, messages and client data, in every "
                    + "activity of the tenant sent to them",
            description = "Facts keep their type and time, so counts stay right; the state topic receives each "
                    + "redacted state. Idempotent: a repeated erase answers erasedActivities 0. Remembered as a "
                    + "salted hash, so late events of those activities are stored stripped.")
    @ApiResponse(
            responseCode = "202",
            description = "Erased: how many activities were redacted now",
            content = @Content(mediaType = "application/json", examples = @ExampleObject("{\"erasedActivities\":3}")))
    @ApiResponse(
            responseCode = "400",
            description = "tenantId or email missing or invalid, each named",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.VALIDATION)))
    Mono<Map<String, Long>> erase(
            @Parameter(description = TENANT_ID) @RequestParam(required = false) String tenantId,
            @RequestParam(required = false) String email,
            @Parameter(hidden = true) ServerWebExchange exchange) {
        List<FieldError> errors = new ArrayList<>();
        String tenant = ApiCaller.of(exchange).tenantFor(tenantId, errors);
        checkEmail(email, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return erasure.erase(tenant, email).map(erased -> Map.of("erasedActivities", erased));
    }

    @PutMapping("/api/crm/recipients/consent")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary = "Record a recipient's tracking consent (granted or denied), stored as a salted hash",
            description = "Takes effect at once: a send accepted after a denial goes out without our pixel or "
                    + "wrapped links (state NOT_TRACKED, note \"no consent\"); a later open or click of mail sent "
                    + "before it, ours or Resend's, is counted only anonymously and does not raise the status.")
    @ApiResponse(
            responseCode = "204",
            description = "Recorded; no body",
            content = @Content(examples = @ExampleObject(name = "recorded", summary = "no body")))
    @ApiResponse(
            responseCode = "400",
            description = "tenantId, email or tracking missing or invalid, each named",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.VALIDATION)))
    Mono<Void> consent(@RequestBody ConsentRequest body, @Parameter(hidden = true) ServerWebExchange exchange) {
        List<FieldError> errors = new ArrayList<>();
        String tenant = ApiCaller.of(exchange).tenantFor(body.tenantId(), errors);
        checkEmail(body.email(), errors);
        RecipientPrivacy.Consent tracking = null;
        try {
            tracking = body.tracking() == null
                    ? null
                    : RecipientPrivacy.Consent.valueOf(body.tracking().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (tracking == null) {
            errors.add(new FieldError("tracking", "must be granted or denied"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return privacy.consent(privacy.hash(tenant, body.email()), tracking, clock.instant());
    }

    private static void checkEmail(String email, List<FieldError> errors) {
        if (email == null || email.isBlank()) {
            errors.add(new FieldError("email", "is required"));
        } else if (email.length() > WireText.ADDRESS_MAX) {
            errors.add(new FieldError("email", "must be at most " + WireText.ADDRESS_MAX + " characters"));
        } else if (WireText.firstForbidden(email, false) >= 0 || email.indexOf('@') < 1) {
            errors.add(new FieldError("email", "must be an email address"));
        }
    }
}
