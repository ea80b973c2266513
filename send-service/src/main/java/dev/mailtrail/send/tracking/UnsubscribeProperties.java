package dev.mailtrail.send.tracking;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param byDefault whether a send request that does not say ({@code "unsubscribe"} absent) carries the one-click
 *                  unsubscribe headers ({@code MAILTRAIL_UNSUBSCRIBE_DEFAULT})
 */
@ConfigurationProperties("mailtrail.unsubscribe")
record UnsubscribeProperties(boolean byDefault) {}
