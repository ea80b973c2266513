package dev.mailtrail.send.tracking;

import dev.mailtrail.events.Ids;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where replies go, checked at start-up.
 *
 * @param domain             {@code MAILTRAIL_REPLY_DOMAIN}: when set, each message's {@code Reply-To} is
 *                           {@code reply+<signed token>@<domain>} (unless the sender gave one); empty: none
 * @param tenantReplyAddress {@code MAILTRAIL_TENANT_REPLY_ADDRESS} ({@code tenant-a,tenant-b}): the tenants whose
 *                           sender's own Reply-To is replaced by the token address (needs the domain)
 */
@ConfigurationProperties("mailtrail.reply")
record ReplyAddressProperties(String domain, @DefaultValue Set<String> tenantReplyAddress) {

    /** A DNS name of letters, digits and hyphens, dot-separated: what may follow the {@code @} of an address. */
    private static final Pattern HOST =
            Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    ReplyAddressProperties {
        domain = domain == null || domain.isBlank() ? null : domain.trim().toLowerCase(Locale.ROOT);
        if (domain != null && !HOST.matcher(domain).matches()) {
            throw new IllegalArgumentException(
                    "MAILTRAIL_REPLY_DOMAIN: '" + domain + "' is not a domain such as reply.acme.test");
        }
        Set<String> tenants = new HashSet<>();
        for (String tenant : tenantReplyAddress) {
            if (!tenant.isBlank()) {
                if (!Ids.isValid(tenant.trim())) {
                    throw new IllegalArgumentException(
                            "MAILTRAIL_TENANT_REPLY_ADDRESS: '" + tenant + "' is not a tenant id (" + Ids.RULE + ")");
                }
                tenants.add(tenant.trim());
            }
        }
        if (!tenants.isEmpty() && domain == null) {
            throw new IllegalArgumentException(
                    "MAILTRAIL_TENANT_REPLY_ADDRESS names tenants but MAILTRAIL_REPLY_DOMAIN is not set");
        }
        tenantReplyAddress = Set.copyOf(tenants);
    }
}
