package dev.mailtrail.ingest.normalize;

import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.WireText;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Values read out of Resend's JSON. Every text that goes into an event is cleaned to its limit
 * ({@link WireText#sanitize}): the webhook is signed, so refusing it would only make Resend retry the same bytes,
 * and one NUL passed on would stop the projection's partition.
 */
final class ResendJson {

    /** The wire's range: earlier or later than this is no time an email event happened (and no time stored). */
    private ResendJson() {}

    /** A value's text as sent, or null when absent, null or not a value. */
    static String raw(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asString();
    }

    static String text(JsonNode node, String field, int maxChars) {
        return WireText.sanitize(raw(node, field), maxChars);
    }

    /** A string, or an array of them (Resend's {@code to}), each cleaned. */
    static List<String> texts(JsonNode node, int maxChars) {
        List<String> result = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> result.add(WireText.sanitize(n.asString(), maxChars)));
        } else if (node != null && node.isString()) {
            result.add(WireText.sanitize(node.asString(), maxChars));
        }
        return result;
    }

    /** Documented as an object, sent by Resend's own ingester as [{name, value}]: accept both. */
    static Map<String, String> tags(JsonNode tags) {
        Map<String, String> result = new LinkedHashMap<>();
        if (tags == null) {
            return result;
        }
        if (tags.isObject()) {
            tags.properties().forEach(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    put(result, e.getKey(), e.getValue().asString());
                }
            });
        } else if (tags.isArray()) {
            for (JsonNode tag : tags) {
                String name = raw(tag, "name");
                String value = raw(tag, "value");
                if (name != null && value != null) {
                    put(result, name, value);
                }
            }
        }
        return result;
    }

    private static void put(Map<String, String> tags, String name, String value) {
        tags.put(WireText.sanitize(name, WireText.TAG_MAX), WireText.sanitize(value, WireText.TAG_MAX));
    }

    /**
     * The instant of a provider's timestamp ({@code ...894719+00:00} and {@code ...894Z} both occur), or
     * {@code received} when it is unreadable or outside the wire's years: an event is never refused for its time.
     */
    static Instant timestamp(String value, Instant received) {
        Instant parsed = parse(value);
        return parsed == null || !WireJson.inRange(parsed) ? received : parsed;
    }

    private static Instant parse(String value) {
        Instant utc = WireJson.utcTimestamp(value);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
