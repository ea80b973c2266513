package dev.mailtrail.ingest.proxy;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param trusted {@code MAILTRAIL_TRUSTED_PROXIES}: the networks (CIDRs or single addresses, IPv4 and IPv6) whose
 *                {@code Forwarded} / {@code X-Forwarded-For} are believed; empty, nobody's
 */
@ConfigurationProperties("mailtrail.proxies")
public record ProxyProperties(List<String> trusted) {}
