package dev.mailtrail.send.db;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code mailtrail.db.ssl-mode} and {@code ssl-root-cert} ({@code MAILTRAIL_DB_SSL_MODE},
 * {@code MAILTRAIL_DB_SSL_ROOT_CERT}): TLS to PostgreSQL in libpq's terms, for the R2DBC connections. Flyway's JDBC
 * URL in application.yml carries the same two settings.
 *
 * @param sslMode     {@code disable}, {@code allow}, {@code prefer}, {@code require}, {@code verify-ca} or
 *                    {@code verify-full}
 * @param sslRootCert the PEM file of the CA that signed the server's certificate (the verify modes), or blank
 */
@ConfigurationProperties("mailtrail.db")
public record DatabaseTls(String sslMode, String sslRootCert) {

    static final Option<String> SSL_MODE = Option.valueOf("sslMode");
    static final Option<String> SSL_ROOT_CERT = Option.valueOf("sslRootCert");

    /** Adds the mode, and the root certificate only when one is set: the driver refuses an empty path. */
    void applyTo(ConnectionFactoryOptions.Builder options) {
        options.option(SSL_MODE, sslMode);
        if (sslRootCert != null && !sslRootCert.isBlank()) {
            options.option(SSL_ROOT_CERT, sslRootCert.strip());
        }
    }
}
