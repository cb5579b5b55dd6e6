package dev.sluice.pipelines.internal.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipelines.internal.json.JsonPath;

/** Following a {@link JsonPath} through a Jackson tree, with the same rules as the streaming walk. */
final class TreePaths {
    private TreePaths() {
    }

    /** The node the first {@code depth} segments of the path reach, or null. */
    static JsonNode resolve(JsonNode root, JsonPath path, int depth) {
        JsonNode node = root;
        for (int i = 0; i < depth && node != null; i++) {
            node = step(node, path, i);
        }
        return node;
    }

    /** The child segment {@code i} names: a member of an object, an element of an array; null otherwise. */
    static JsonNode step(JsonNode node, JsonPath path, int i) {
        if (node.isObject()) {
            return node.get(path.name(i));
        }
        if (node.isArray()) {
            int index = path.index(i);
            return index >= 0 ? node.get(index) : null;
        }
        return null;
    }
}
