package dev.mailtrail.send.accept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailtrail.send.web.ProblemException.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SenderDomainsTests {

    static final SenderDomains CONFIGURED =
            new SenderDomains(Set.of(" t-1:Acme.TEST", "t-1:mail.acme.test", "t-2:other.test", ""));

    @Test
    void aTenantSendsOnlyFromItsOwnDomainsExactlyAsListedInAnyCase() {
        assertThat(CONFIGURED.tenantSenderDomains())
                .containsExactlyInAnyOrder("t-1:acme.test", "t-1:mail.acme.test", "t-2:other.test");
        assertThat(CONFIGURED.allows("t-1", "ACME.test")).isTrue();
        assertThat(CONFIGURED.allows("t-1", "mail.acme.test")).isTrue();
        assertThat(CONFIGURED.allows("t-1", "other.test")).isFalse();
        assertThat(CONFIGURED.allows("t-1", "eu.acme.test")).isFalse();
        assertThat(CONFIGURED.allows("t-2", "acme.test")).isFalse();
        assertThat(CONFIGURED.allows("t-3", "acme.test"))
                .as("a tenant not listed")
                .isFalse();
    }

    @Test
    void unsetAllowsAnyTenantAnyDomain() {
        SenderDomains unset = new SenderDomains(Set.of());

        assertThat(unset.allows("t-3", "anything.test")).isTrue();
        assertThat(unset.check(check("t-3", "x@anything.test")).errors()).isEmpty();
    }

    @Test
    void aFromOutsideItsTenantsDomainsIsNamed() {
        assertThat(CONFIGURED.check(check("t-1", "Sales <sales@acme.test>")).errors())
                .isEmpty();
        assertThat(CONFIGURED.check(check("t-1", "sales@other.test")).errors())
                .containsExactly(
                        new FieldError("from", "must be an address of a sender domain allowed for the tenant"));
        assertThat(CONFIGURED.check(check("t-9", "sales@acme.test")).errors())
                .extracting(FieldError::field)
                .containsExactly("from");
    }

    @Test
    void whatCommandCheckNamesAlreadyIsNotNamedTwice() {
        assertThat(CONFIGURED.check(check("t-1", "nobody")).errors())
                .extracting(FieldError::field)
                .containsExactly("from");
        assertThat(CONFIGURED.check(check("not a tenant", "sales@other.test")).errors())
                .extracting(FieldError::field)
                .containsExactly("tenantId");
        CommandCheck.Checked unreadable = CommandCheck.check("{".getBytes(StandardCharsets.UTF_8), false);
        assertThat(CONFIGURED.check(unreadable)).isEqualTo(unreadable);
    }

    @Test
    void aBadEntryStopsStartUpNamingTheVariable() {
        for (String bad : List.of(
                "acme.test",
                "t-1:",
                ":acme.test",
                "t 1:acme.test",
                "t-1:localhost",
                "t-1:a@acme.test",
                "t-1:acme.test x",
                "t-1:<acme.test>")) {
            assertThatThrownBy(() -> new SenderDomains(Set.of(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MAILTRAIL_TENANT_SENDER_DOMAINS: '" + bad + "' is not tenant:domain");
        }
    }

    private static CommandCheck.Checked check(String tenantId, String from) {
        String body = """
                {"activityId":"act-1","tenantId":"%s","from":"%s","to":["b@example.com"],"subject":"Hi",
                 "text":"Hello"}""".formatted(tenantId, from.replace("\"", "\\\""));
        return CommandCheck.check(body.getBytes(StandardCharsets.UTF_8), false);
    }
}
