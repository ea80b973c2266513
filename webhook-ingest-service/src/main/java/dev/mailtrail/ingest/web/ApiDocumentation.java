package dev.mailtrail.ingest.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import org.springframework.context.annotation.Configuration;

/** OpenAPI at {@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}; examples live beside each route. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info =
                @Info(
                        title = "mailtrail webhook-ingest-service",
                        description =
                                "Resend's signed webhooks in; our own open pixel and click redirect. Errors are RFC 9457 "
                                        + "problem+json with type https://mailtrail.dev/problems/<code>.",
                        version = "v1",
                        license = @License(name = "Apache-2.0")))
public class ApiDocumentation {

    public static final String PROBLEM_JSON = "application/problem+json";

    public static final String DELIVERED_WEBHOOK = """
            {"type":"email.delivered","created_at":"2026-11-26T10:15:31.456Z","data":{"email_id":\
            "4ef9a417-02e9-4d39-ad75-9611e0fcc33c","created_at":"2026-11-26T10:15:29.000Z",\
            "from":"Acme <sales@acme.test>","to":["delivered@resend.dev"],"subject":"Your proposal",\
            "tags":{"activity_id":"act-123","tenant_id":"t-1"}}}""";
    public static final String ACCEPTED = "{\"eventId\":\"resend:msg_2KWPBgLlAfxdpx2AI54pPJ85f4W\"}";
    public static final String INVALID_SIGNATURE = """
            {"type":"https://mailtrail.dev/problems/invalid-signature","title":"Invalid signature","status":401,\
            "detail":"The webhook signature could not be verified"}""";
    public static final String MALFORMED = """
            {"type":"https://mailtrail.dev/problems/malformed-payload","title":"Malformed payload","status":400,\
            "detail":"missing 'data'"}""";
    public static final String TOO_LARGE = """
            {"type":"https://mailtrail.dev/problems/payload-too-large","title":"Payload too large","status":413,\
            "detail":"Webhook bodies are limited to 262144 bytes"}""";
    public static final String UNSUPPORTED = """
            {"type":"https://mailtrail.dev/problems/unsupported-media-type","title":"Unsupported media type",\
            "status":415,"detail":"Send the webhook as application/json"}""";
    public static final String UNAVAILABLE = """
            {"type":"https://mailtrail.dev/problems/unavailable","title":"Temporarily unavailable","status":503,\
            "detail":"The event could not be stored right now; retry later"}""";
    public static final String UNSUBSCRIBE_PAGE = "<!DOCTYPE html><html lang=\"en\">…<h1>Unsubscribe</h1>"
            + "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">…"
            + "<button type=\"submit\">Unsubscribe</button></form>…</html>";
    public static final String UNSUBSCRIBE_NOT_FOUND =
            "<!DOCTYPE html><html lang=\"en\">…<h1>Unknown link</h1><p>This unsubscribe link is not valid.</p>…</html>";
    public static final String NOT_ONE_CLICK = """
            {"type":"https://mailtrail.dev/problems/validation","title":"Validation failed","status":400,\
            "detail":"The request has 1 invalid field(s)","errors":[{"field":"List-Unsubscribe",\
            "message":"the body must be List-Unsubscribe=One-Click (RFC 8058)"}]}""";
    public static final String NOT_FOUND = """
            {"type":"https://mailtrail.dev/problems/not-found","title":"Not found","status":404,\
            "detail":"Unknown link"}""";
}
