package dev.mailtrail.bench;

import dev.mailtrail.events.WireText;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Whether stored text is what the contract lets through: no C0 control or lone surrogate, within its limit. */
final class TextCheck {

    /** The longest text a field may keep once stored (WireText's limits), by its path in an EmailEvent's JSON. */
    static final Map<String, Integer> CAPS = Map.of(
            "subject", WireText.SUBJECT_MAX,
            "recipients[]", WireText.ADDRESS_MAX,
            "tags.*", WireText.TAG_MAX,
            "click.url", WireText.URL_MAX,
            "client.userAgent", WireText.USER_AGENT_MAX,
            "bounce.message", WireText.MESSAGE_MAX,
            "failure.reason", WireText.MESSAGE_MAX,
            "providerMessageId", WireText.PROVIDER_ID_MAX);

    private TextCheck() {}

    /** Null when every string in the JSON is safe and within its field's limit (if it has one), else which is not. */
    static String firstProblem(JsonNode node, String path) {
        if (node.isString()) {
            return problem(path, node.asString(), CAPS.getOrDefault(path, Integer.MAX_VALUE));
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                String wrong = firstProblem(element, path + "[]");
                if (wrong != null) {
                    return wrong;
                }
            }
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String wrong = firstProblem(
                    e.getValue(),
                    path.equals("tags") ? "tags.*" : path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            if (wrong != null) {
                return wrong;
            }
        }
        return null;
    }

    /** Null when the value (null or not) is safe and at most {@code max} chars long. */
    static String problem(String what, String value, int max) {
        if (value == null) {
            return null;
        }
        int forbidden = WireText.firstForbidden(value, false);
        if (forbidden >= 0) {
            return String.format(Locale.ROOT, "%s holds U+%04X at %d", what, (int) value.charAt(forbidden), forbidden);
        }
        return value.length() > max ? what + " is " + value.length() + " chars, over " + max : null;
    }
}
