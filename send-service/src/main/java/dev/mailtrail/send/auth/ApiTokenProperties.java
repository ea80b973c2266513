package dev.mailtrail.send.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code MAILTRAIL_API_TOKENS}: {@code token} for every tenant, {@code token:tenant} for one (application.yml). */
@ConfigurationProperties("mailtrail")
record ApiTokenProperties(String apiTokens) {}
