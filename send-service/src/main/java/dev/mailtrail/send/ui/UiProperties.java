package dev.mailtrail.send.ui;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The page's development tools ({@code MAILTRAIL_UI_DEV_TOOLS}) and the tenant it starts on. */
@ConfigurationProperties("mailtrail.ui")
record UiProperties(
        @DefaultValue("false") boolean devTools,
        @DefaultValue("") String defaultTenant) {}
