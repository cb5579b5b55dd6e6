package dev.sluice.pipelines.internal.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.internal.Payload;
import dev.sluice.pipelines.internal.Step;
import dev.sluice.pipelines.internal.StepContext;
import dev.sluice.pipelines.internal.StepResult;
import dev.sluice.pipelines.internal.json.JsonPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code extract}: the payload becomes just the values at {@code paths}. Nested (the default), they keep their place:
 * objects keep the listed members in the order of {@code paths}, arrays keep the listed elements in index order, so
 * {@code items.2.id} alone gives {@code {"items":[{"id":...}]}}. Flattened, they become members of one object named
 * after the last segment of their path, or, where two paths end in the same name, after all their segments joined
 * with {@code _} ({@code user.id} and {@code order.id} give {@code user_id} and {@code order_id}). Paths that reach
 * nothing are left out; when none reaches anything the payload stays as it was and the step answers false.
 */
final class Extract implements Step {
    private static final StepResult NOTHING_FOUND = StepResult.falseBecause("none of the paths has a value");

    private final List<JsonPath> paths;
    private final List<String> flatNames;
    private final Selection selection;

    private Extract(List<JsonPath> paths, List<String> flatNames, Selection selection) {
        this.paths = paths;
        this.flatNames = flatNames;
        this.selection = selection;
    }

    static Extract nested(List<JsonPath> paths) {
        Selection root = new Selection();
        for (JsonPath path : paths) {
            root.add(path, 0);
        }
        root.freeze();
        return new Extract(paths, null, root);
    }

    /**
     * @throws PipelineException (message without the step label) when two paths would get the same name
     */
    static Extract flattened(List<JsonPath> paths) {
        Map<String, Integer> lastNames = new HashMap<>();
        for (JsonPath path : paths) {
            lastNames.merge(path.last(), 1, Integer::sum);
        }
        List<String> names = new ArrayList<>(paths.size());
        Set<String> taken = new HashSet<>();
        for (JsonPath path : paths) {
            String name = lastNames.get(path.last()) == 1 ? path.last() : joined(path);
            if (!taken.add(name)) {
                throw new PipelineException("flattened, two paths would both be named '" + name + "'");
            }
            names.add(name);
        }
        return new Extract(paths, List.copyOf(names), null);
    }

    private static String joined(JsonPath path) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < path.depth(); i++) {
            name.append(i == 0 ? "" : "_").append(path.name(i));
        }
        return name.toString();
    }

    @Override
    public StepResult run(StepContext context) {
        Payload payload = context.payload();
        JsonNode tree = payload.tree();
        JsonNode extracted = flatNames == null ? selection.copy(tree) : flatten(tree);
        if (extracted == null) {
            return NOTHING_FOUND;
        }
        payload.replaceTree(extracted);
        return StepResult.TRUE;
    }

    private JsonNode flatten(JsonNode tree) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < paths.size(); i++) {
            JsonPath path = paths.get(i);
            JsonNode value = TreePaths.resolve(tree, path, path.depth());
            if (value != null) {
                out.set(flatNames.get(i), value.deepCopy());
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** The paths as a tree: which members and elements to keep at each level. */
    private static final class Selection {
        private final Map<String, Selection> members = new LinkedHashMap<>();
        private List<Selection> elements = List.of();
        /** The array index this selection's segment names, or -1. */
        private int index = -1;
        private boolean whole;

        void add(JsonPath path, int segment) {
            if (segment == path.depth()) {
                whole = true;
                return;
            }
            Selection child = members.computeIfAbsent(path.name(segment), name -> new Selection());
            child.index = path.index(segment);
            child.add(path, segment + 1);
        }

        /** Sorts the array indexes once, at compile time. */
        void freeze() {
            List<Selection> indexed = new ArrayList<>();
            for (Selection child : members.values()) {
                child.freeze();
                if (child.index >= 0) {
                    indexed.add(child);
                }
            }
            indexed.sort(Comparator.comparingInt(child -> child.index));
            elements = List.copyOf(indexed);
        }

        /** The selected part of {@code source}, or null when it has none of it. */
        JsonNode copy(JsonNode source) {
            if (whole) {
                return source.deepCopy();
            }
            if (source.isObject()) {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                members.forEach((name, child) -> {
                    JsonNode value = source.get(name);
                    JsonNode copied = value == null ? null : child.copy(value);
                    if (copied != null) {
                        out.set(name, copied);
                    }
                });
                return out.isEmpty() ? null : out;
            }
            if (source.isArray()) {
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                for (Selection element : elements) {
                    JsonNode value = source.get(element.index);
                    JsonNode copied = value == null ? null : element.copy(value);
                    if (copied != null) {
                        out.add(copied);
                    }
                }
                return out.isEmpty() ? null : out;
            }
            return null;
        }
    }
}
