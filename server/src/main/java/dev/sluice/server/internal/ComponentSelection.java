package dev.sluice.server.internal;

import dev.sluice.server.SluiceNode.Component;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Turns the component names given to {@code sluice start} into components, refusing unknown and unbuilt ones. */
public final class ComponentSelection {

    private ComponentSelection() {
    }

    /**
     * @param names names as typed; none means every component this build has
     * @throws ConfigException naming the component and listing the valid or available ones
     */
    public static Set<Component> parse(List<String> names) {
        if (names.isEmpty()) {
            return Component.available();
        }
        Set<Component> selected = EnumSet.noneOf(Component.class);
        for (String name : names) {
            Component component = Arrays.stream(Component.values())
                    .filter(candidate -> candidate.cliName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new ConfigException("unknown component '" + name + "'; valid components: "
                            + Component.names(EnumSet.allOf(Component.class))));
            try {
                selected.add(component.requireAvailable());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage(), e);
            }
        }
        return selected;
    }
}
