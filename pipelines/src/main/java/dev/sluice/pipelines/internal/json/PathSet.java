package dev.sluice.pipelines.internal.json;

import java.util.Arrays;
import java.util.Collection;

/**
 * Paths merged into a tree, so that one pass over a payload finds all of them. A path that is a prefix of another
 * ends the walk there: the value it reaches contains the longer path's value, and whoever asked for both acts on
 * the outer one.
 */
public final class PathSet {
    /** A step into the payload: which member names (and array indexes) go on, and whether a path ends here. */
    public static final class Node {
        private String[] names = new String[0];
        private int[] indexes = new int[0];
        private Node[] children = new Node[0];
        private boolean end;

        /** Whether a path ends at this node. */
        public boolean end() {
            return end;
        }

        /** The node for member {@code name}, or null when no path goes through it. */
        public Node member(String name) {
            String[] candidates = names;
            // Jackson hands over the same String object for a name every time, its hash already computed, so a
            // hash comparison turns away the siblings not on the path without looking at their characters.
            int hash = name.hashCode();
            for (int i = 0; i < candidates.length; i++) {
                String candidate = candidates[i];
                if (candidate == name || (candidate.hashCode() == hash && candidate.equals(name))) {
                    return children[i];
                }
            }
            return null;
        }

        /** The node for array element {@code index}, or null when no path goes through it. */
        public Node element(int index) {
            int[] candidates = indexes;
            for (int i = 0; i < candidates.length; i++) {
                if (candidates[i] == index) {
                    return children[i];
                }
            }
            return null;
        }

        private Node add(String name, int index) {
            Node existing = member(name);
            if (existing != null) {
                return existing;
            }
            Node child = new Node();
            int size = names.length;
            names = Arrays.copyOf(names, size + 1);
            indexes = Arrays.copyOf(indexes, size + 1);
            children = Arrays.copyOf(children, size + 1);
            names[size] = name;
            indexes[size] = index;
            children[size] = child;
            return child;
        }
    }

    private final Node root;

    private PathSet(Node root) {
        this.root = root;
    }

    public static PathSet of(JsonPath path) {
        Node root = new Node();
        add(root, path);
        return new PathSet(root);
    }

    public static PathSet of(Collection<JsonPath> paths) {
        Node root = new Node();
        for (JsonPath path : paths) {
            add(root, path);
        }
        return new PathSet(root);
    }

    private static void add(Node root, JsonPath path) {
        Node node = root;
        for (int i = 0; i < path.depth(); i++) {
            node = node.add(path.name(i), path.index(i));
        }
        node.end = true;
    }

    public Node root() {
        return root;
    }
}
