package dev.mailtrail.localstack;

import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The little JSON the launcher reads: one shared mapper, lenient lookups. */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    static Optional<JsonNode> parse(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readTree(body));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** A top-level scalar field as text; empty when absent, null or the body is not JSON. */
    static Optional<String> field(String body, String name) {
        return parse(body).flatMap(node -> text(node, name));
    }

    static Optional<String> text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull() || value.isContainer()) {
            return Optional.empty();
        }
        return Optional.of(value.asString());
    }
}
