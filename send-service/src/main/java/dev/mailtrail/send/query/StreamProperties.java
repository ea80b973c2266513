package dev.mailtrail.send.query;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** How often the live stream sends a heartbeat comment. */
@ConfigurationProperties("mailtrail.stream")
record StreamProperties(@DefaultValue("15s") Duration heartbeat) {}
