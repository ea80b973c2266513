package dev.mailtrail.send.auth;

import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.send.web.ProblemException;
import org.springframework.web.server.ServerWebExchange;

/** Who is calling: a token for every tenant ({@code tenant == null}) or for one. */
public record ApiCaller(String tenant) {

    static final String ATTRIBUTE = ApiCaller.class.getName();

    public boolean canSee(String tenantId) {
        return tenant == null || tenant.equals(tenantId);
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
