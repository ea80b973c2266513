package dev.mailtrail.bench;

import dev.mailtrail.events.WireJson;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Poison as JSON text: a tree edited and written back, with what no JSON writer emits put in afterwards. */
final class JsonEdit {

    /**
     * Stands for a lone high surrogate: a UTF-8 writer cannot encode one, so it goes on the wire as its JSON escape
     * (which any reader turns back into the lone char), put in after writing.
     */
    static final String LONE_SURROGATE = "\uE000lone-surrogate\uE000";

    static final String LONE_SURROGATE_ESCAPE = "\\ud800";

    private JsonEdit() {}

    static String edit(String json, Consumer<ObjectNode> edit) {
        ObjectNode root = (ObjectNode) WireJson.mapper().readTree(json);
        edit.accept(root);
        return write(root);
    }

    static String write(JsonNode node) {
        return WireJson.mapper().writeValueAsString(node).replace(LONE_SURROGATE, LONE_SURROGATE_ESCAPE);
    }
}
