package dev.sluice.pipelines.internal.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipelines.internal.Matches;
import dev.sluice.pipelines.internal.Payload;
import dev.sluice.pipelines.internal.Step;
import dev.sluice.pipelines.internal.StepContext;
import dev.sluice.pipelines.internal.StepError;
import dev.sluice.pipelines.internal.StepResult;
import dev.sluice.pipelines.internal.json.JsonPath;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code delete_field}: removes members from their objects and elements from their arrays. Works on a copy of the
 * tree: removing bytes means removing a comma on one side, which a splice would have to find; this step is rarer
 * than masking and the tree is simpler to get right. Every target is found before anything is removed, so removing
 * {@code items.0} and {@code items.2} removes those two elements, not {@code items.0} and what was
 * {@code items.3}.
 */
final class DeleteField implements Step {
    private static final StepResult NOTHING_MATCHED = StepResult.falseBecause("no path and nothing matched");

    private final JsonPath path;
    private final StepResult missing;

    /** @param path the path to remove, or null to remove the detective's matches */
    DeleteField(JsonPath path) {
        this.path = path;
        this.missing = StepResult.falseBecause(path == null ? "the matched values are gone"
                : "no value at " + path.pointer());
    }

    @Override
    public StepResult run(StepContext context) {
        List<JsonPath> targets;
        if (path != null) {
            targets = List.of(path);
        } else {
            Matches matches = context.matches();
            if (matches.isEmpty()) {
                return NOTHING_MATCHED;
            }
            targets = Targets.paths(matches);
        }
        Payload payload = context.payload();
        JsonNode copy = payload.tree().deepCopy();
        List<ObjectNode> objects = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<ArrayNode, TreeSet<Integer>> elements = new IdentityHashMap<>();
        for (JsonPath target : targets) {
            if (target.isRoot()) {
                throw new StepError("delete_field cannot delete the whole payload (a drop condition does that)");
            }
            int last = target.depth() - 1;
            JsonNode parent = TreePaths.resolve(copy, target, last);
            if (parent instanceof ObjectNode object && object.has(target.name(last))) {
                objects.add(object);
                names.add(target.name(last));
            } else if (parent instanceof ArrayNode array && target.index(last) >= 0
                    && target.index(last) < array.size()) {
                elements.computeIfAbsent(array, a -> new TreeSet<>()).add(target.index(last));
            }
        }
        if (objects.isEmpty() && elements.isEmpty()) {
            return missing;
        }
        for (int i = 0; i < objects.size(); i++) {
            objects.get(i).remove(names.get(i));
        }
        elements.forEach((array, indexes) -> indexes.descendingSet().forEach(index -> array.remove((int) index)));
        payload.replaceTree(copy);
        return StepResult.TRUE;
    }
}
