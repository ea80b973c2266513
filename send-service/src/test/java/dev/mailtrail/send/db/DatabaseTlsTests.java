package dev.mailtrail.send.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Test;

/** What the R2DBC connections are told about TLS. */
class DatabaseTlsTests {

    private static ConnectionFactoryOptions applied(DatabaseTls tls) {
        ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.builder();
        tls.applyTo(options);
        return options.build();
    }

    @Test
    void theModeAlwaysTheRootCertificateOnlyWhenOneIsSet() {
        ConnectionFactoryOptions without = applied(new DatabaseTls("prefer", ""));
        assertThat(without.getValue(DatabaseTls.SSL_MODE)).isEqualTo("prefer");
        assertThat(without.hasOption(DatabaseTls.SSL_ROOT_CERT)).isFalse();

        ConnectionFactoryOptions with = applied(new DatabaseTls("verify-full", " /etc/mailtrail/postgres-ca/ca.crt "));
        assertThat(with.getValue(DatabaseTls.SSL_MODE)).isEqualTo("verify-full");
        assertThat(with.getValue(DatabaseTls.SSL_ROOT_CERT)).isEqualTo("/etc/mailtrail/postgres-ca/ca.crt");
    }
}
