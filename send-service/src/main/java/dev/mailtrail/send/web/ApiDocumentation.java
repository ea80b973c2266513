package dev.mailtrail.send.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/** OpenAPI at {@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}; examples live beside each route. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info =
                @Info(
                        title = "mailtrail send-service",
                        description =
                                "Send email through Resend and read each CRM activity's engagement state. Errors are RFC 9457 "
                                        + "problem+json with type https://mailtrail.dev/problems/<code>.",
                        version = "v1",
                        license = @License(name = "Apache-2.0")),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(
        name = "bearer",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description = "A token from MAILTRAIL_API_TOKENS; a token bound to a tenant sees only that tenant")
public class ApiDocumentation {

    public static final String PROBLEM_JSON = "application/problem+json";

    public static final String ACTIVITY = """
            {"schemaVersion":1,"activityId":"act-123","tenantId":"t-1","version":4,"status":"OPENED",\
            "messageId":"4ef9a417-02e9-4d39-ad75-9611e0fcc33c","recipient":"ada@example.com","subject":"Your proposal",\
            "openTracking":"TRACKED","queuedAt":"2026-11-26T10:15:29.812Z","scheduledAt":null,\
            "sentAt":"2026-11-26T10:15:30.123Z","firstDelayedAt":null,"deliveredAt":"2026-11-26T10:15:31.456Z",\
            "firstOpenedAt":"2026-11-26T12:02:10.000Z","lastOpenedAt":"2026-11-26T12:02:10.000Z","openCount":1,\
            "machineOpenCount":1,"humanOpenCount":1,"openInferred":false,"firstClickedAt":null,"lastClickedAt":null,\
            "clickCount":0,"machineClickCount":0,"humanClickCount":0,"links":[],"bouncedAt":null,"bounce":null,\
            "complainedAt":null,"unsubscribedAt":null,"failedAt":null,\
            "failureReason":null,"suppressedAt":null,"updatedAt":"2026-11-26T12:02:10.317Z",\
            "badge":{"label":"Opened","note":null,"at":"2026-11-26T12:02:10.000Z","relative":"2h ago"}}""";
    public static final String TIMELINE = """
            {"activityId":"act-123","events":[\
            {"eventId":"send:act-123:queued","type":"queued","occurredAt":"2026-11-26T10:15:29.812Z",\
            "source":"send_service","link":null,"classification":"unknown","reasons":[]},\
            {"eventId":"resend:msg_2KWPBgLlAfxdpx2AI54pPJ85f4W","type":"delivered",\
            "occurredAt":"2026-11-26T10:15:31.456Z","source":"resend_webhook","link":null,"classification":"unknown",\
            "reasons":[]},\
            {"eventId":"open:Zk3x","type":"opened","occurredAt":"2026-11-26T10:15:40.000Z","source":"tracking_pixel",\
            "link":null,"classification":"machine","reasons":["apple_mpp"]}],\
            "nextCursor":"MTc2NDE1MjE0MDAwMHxvcGVuOlprM3g","unlisted":{"opens":0,"clicks":0}}""";
    public static final String PAGE = "{\"items\":[" + ACTIVITY + "],\"nextCursor\":\"MTc2NDE1MjEzMDEyM3xhY3QtMTIz\"}";
    public static final String STREAM = """
            event:activity
            id:4
            data:{"activityId":"act-123","status":"OPENED","version":4,"badge":{"label":"Opened"}}

            :heartbeat
            """;
    public static final String UNAUTHORIZED = """
            {"type":"https://mailtrail.dev/problems/unauthorized","title":"Unauthorized","status":401,\
            "detail":"Send Authorization: Bearer <token>"}""";
    public static final String NOT_FOUND = """
            {"type":"https://mailtrail.dev/problems/not-found","title":"Not found","status":404,\
            "detail":"No activity act-404"}""";
    public static final String VALIDATION = """
            {"type":"https://mailtrail.dev/problems/validation","title":"Validation failed","status":400,\
            "detail":"The request has 1 invalid field(s)","errors":[{"field":"tenantId","message":"is required"}]}""";
}
