package dev.mailtrail.send.auth;

import dev.mailtrail.events.Ids;
import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.send.web.ProblemException;
import dev.mailtrail.send.web.ProblemException.FieldError;
import java.util.List;
import org.springframework.web.server.ServerWebExchange;

/** Who is calling: a token for every tenant ({@code tenant == null}) or for one. */
public record ApiCaller(String tenant) {

    static final String ATTRIBUTE = ApiCaller.class.getName();

    public boolean canSee(String tenantId) {
        return tenant == null || tenant.equals(tenantId);
    }

    /**
     * The tenant a request acts in: the one it names (a tenant this token may not see is 404, never 403), else the
     * token's own; an all-tenant token must name one. A bad or missing {@code tenantId} is added to {@code errors}.
     */
    public String tenantFor(String tenantId, List<FieldError> errors) {
        if (tenantId != null && !Ids.isValid(tenantId)) {
            errors.add(new FieldError("tenantId", "must be " + Ids.RULE));
            return null;
        }
        if (tenantId != null && !canSee(tenantId)) {
            throw ProblemException.notFound("No tenant " + tenantId);
        }
        String acting = tenantId != null ? tenantId : tenant;
        if (acting == null) {
            errors.add(new FieldError("tenantId", "is required with an all-tenant token"));
        }
        return acting;
    }

    /** The caller {@link ApiTokenFilter} let in; a route it did not guard fails closed, 401 rather than 500. */
    public static ApiCaller of(ServerWebExchange exchange) {
        ApiCaller caller = exchange.getAttribute(ATTRIBUTE);
        if (caller == null) {
            throw new ProblemException(ProblemCode.UNAUTHORIZED, "Send Authorization: Bearer <token>");
        }
        return caller;
    }
}
