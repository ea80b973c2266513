package dev.mailtrail.send.auth;

import org.springframework.web.server.ServerWebExchange;

/** Who is calling: a token for every tenant ({@code tenant == null}) or for one. */
public record ApiCaller(String tenant) {

    static final String ATTRIBUTE = ApiCaller.class.getName();

    public boolean canSee(String tenantId) {
        return tenant == null || tenant.equals(tenantId);
    }

    public static ApiCaller of(ServerWebExchange exchange) {
        ApiCaller caller = exchange.getAttribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: is the route outside /api/crm/?");
        }
        return caller;
    }
}
