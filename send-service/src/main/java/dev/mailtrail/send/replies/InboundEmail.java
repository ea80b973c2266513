package dev.mailtrail.send.replies;

import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.WireText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What classification and matching need of a Receiving API answer, bounded and cleaned ({@link WireText}): at most
 * {@value #MAX_HEADERS} headers of a line each, the first {@value #TEXT_CHARS} characters of the text, the
 * recipients. Never stored: what is kept is the verdict.
 */
record InboundEmail(Map<String, String> headers, String from, List<String> to, String subject, String text) {

    static final int MAX_HEADERS = 200;
    static final int TEXT_CHARS = 4 * 1024;

    static InboundEmail read(String body) {
        JsonNode root = WireJson.mapper().readTree(body);
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = root.path("headers");
        if (h.isObject()) {
            h.properties().stream().limit(MAX_HEADERS).forEach(e -> {
                if (e.getValue().isValueNode()) {
                    headers.put(
                            WireText.sanitize(e.getKey(), WireText.LABEL_MAX),
                            WireText.sanitize(e.getValue().asString(), WireText.SUBJECT_MAX));
                }
            });
        }
        List<String> to = new ArrayList<>();
        for (String field : List.of("to", "cc")) {
            root.path(field)
                    .valueStream()
                    .limit(100)
                    .forEach(n -> to.add(WireText.sanitize(n.asString(), WireText.ADDRESS_MAX)));
        }
        return new InboundEmail(
                headers,
                text(root, "from", WireText.ADDRESS_MAX),
                to,
                text(root, "subject", WireText.SUBJECT_MAX),
                text(root, "text", TEXT_CHARS));
    }

    private static String text(JsonNode root, String field, int max) {
        JsonNode value = root.get(field);
        return value == null || !value.isString() ? null : WireText.sanitize(value.asString(), max);
    }

    /** A header by name in any case, or null. */
    String header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }
}
