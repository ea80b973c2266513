package dev.mailtrail.send.accept;

import dev.mailtrail.events.Ids;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.send.suppression.Addresses;
import dev.mailtrail.send.web.ProblemException.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code MAILTRAIL_TENANT_SENDER_DOMAINS} ({@code tenant:domain,tenant:domain2,...}): the domains each tenant may send
 * from. Unset: any tenant, any domain. Set: a tenant sends only from its own domains, exactly as listed (Resend
 * verifies {@code mail.acme.test} and {@code acme.test} separately), any case; a tenant not listed sends from none.
 * Kept as {@code tenant:domain} strings, domain lower-case, so a lookup is one set membership.
 */
@ConfigurationProperties("mailtrail")
public record SenderDomains(@DefaultValue Set<String> tenantSenderDomains) {

    static final String VARIABLE = "MAILTRAIL_TENANT_SENDER_DOMAINS";

    public SenderDomains {
        Set<String> entries = new HashSet<>();
        for (String entry : tenantSenderDomains) {
            if (!entry.isBlank()) {
                entries.add(entry(entry.trim()));
            }
        }
        tenantSenderDomains = Set.copyOf(entries);
    }

    /** {@code command} as checked, with a {@code from} error when its domain is not one its tenant may send from. */
    CommandCheck.Checked check(CommandCheck.Checked checked) {
        SendEmailCommand command = checked.command();
        // an invalid tenant or from is named by CommandCheck already
        if (tenantSenderDomains.isEmpty() || command == null || !Ids.isValid(command.tenantId())) {
            return checked;
        }
        Optional<String> from = Addresses.bare(command.from());
        if (from.isEmpty() || allows(command.tenantId(), domain(from.get()))) {
            return checked;
        }
        List<FieldError> errors = new ArrayList<>(checked.errors());
        errors.add(new FieldError("from", "must be an address of a sender domain allowed for the tenant"));
        return new CommandCheck.Checked(command, errors);
    }

    boolean allows(String tenantId, String domain) {
        return tenantSenderDomains.isEmpty()
                || tenantSenderDomains.contains(tenantId + ":" + domain.toLowerCase(Locale.ROOT));
    }

    /** {@code tenant:domain} normalised; a domain is valid when an address at it is one {@code from} could be. */
    private static String entry(String entry) {
        int colon = entry.indexOf(':');
        String tenant = colon < 0 ? "" : entry.substring(0, colon);
        String domain = colon < 0 ? "" : entry.substring(colon + 1).toLowerCase(Locale.ROOT);
        boolean validDomain = Addresses.bare("postmaster@" + domain)
                .map(SenderDomains::domain)
                .filter(domain::equals)
                .isPresent();
        if (!Ids.isValid(tenant) || !validDomain) {
            throw new IllegalArgumentException(VARIABLE + ": '" + entry + "' is not tenant:domain (a tenant id of "
                    + Ids.RULE + ", a domain such as acme.test)");
        }
        return tenant + ":" + domain;
    }

    private static String domain(String bareAddress) {
        return bareAddress.substring(bareAddress.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
