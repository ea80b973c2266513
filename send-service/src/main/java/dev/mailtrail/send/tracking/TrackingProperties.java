package dev.mailtrail.send.tracking;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Our tracking's signing keys, its subdomain, and whether the Resend domain tracks opens (application.yml). */
@ConfigurationProperties("mailtrail.tracking")
public record TrackingProperties(String keys, String baseUrl, boolean providerOpenTracking) {}
